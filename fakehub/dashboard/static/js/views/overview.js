// The whole picture: Spaces and Jobs by stage, what is loaded, what it cost, what is broken.

import { api } from "../api.js";
import { act, field, h, stage, usd } from "../dom.js";

function counts(title, link, byStage) {
  const total = Object.values(byStage).reduce((a, b) => a + b, 0);
  return h("section", { class: "card" },
    h("h2", {}, h("a", { href: link }, title), ` (${total})`),
    total
      ? h("ul", { class: "stages" }, Object.entries(byStage).map(([name, n]) =>
        h("li", {}, stage(name), ` ${n}`)))
      : h("p", { class: "muted" }, "None yet."));
}

function fact(title, value, link) {
  return h("section", { class: "card small" }, h("h2", {}, link ? h("a", { href: link }, title) : title),
    h("p", { class: "big" }, value));
}

// Switch the clock between manual and realtime × speed (POST /_fakehub/clock/mode).
function clockForm(refresh) {
  const mode = h("select", { name: "mode" }, h("option", { value: "manual" }, "manual"),
    h("option", { value: "realtime" }, "realtime"));
  const speed = h("input", { name: "speed", type: "number", min: "0.001", step: "any", value: "60", size: 6 });
  return h("form", { class: "card inline", onsubmit: (event) => {
    event.preventDefault();
    const body = { mode: mode.value };
    if (mode.value === "realtime") body.speed = Number(speed.value);
    act(event.submitter, async () => {
      await api("/_fakehub/clock/mode", { method: "POST", body });
      await refresh();
    });
  } }, h("h3", {}, "Clock mode"), field("Mode", mode), field("Speed (realtime)", speed),
  h("button", { type: "submit" }, "Set clock"));
}

export function mount(main, _params, { refresh }) {
  const region = h("div", { class: "cards" });
  main.append(h("h2", { class: "view-title" }, "Overview"), region, clockForm(refresh));
  return {
    async update() {
      const data = await api("/_fakehub/overview");
      region.replaceChildren(
        counts("Spaces", "#/spaces", data.spaces.byStage),
        counts("Jobs", "#/jobs", data.jobs.byStage),
        fact("Scheduled jobs", data.scheduledJobs, "#/scheduled"),
        fact("Billing so far", usd(data.billing.totalUsd), "#/scenario"),
        fact("Paid hardware still held", data.billing.runningPaid, "#/scenario"),
        fact("Fault rules", data.faults, "#/faults"),
        fact("Outages", data.outages, "#/faults"),
        fact("Requests logged", data.requests, "#/requests"),
        fact("Scenario", data.scenario || "none", "#/scenario"));
    },
  };
}
