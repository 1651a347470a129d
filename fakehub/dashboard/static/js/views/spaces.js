// Spaces: a page of every Space, and one Space in detail with its timeline and actions.

import { api } from "../api.js";
import { act, field, formData, h, pager, secs, stage, table, usd, when } from "../dom.js";
import { legend, timeline } from "../timeline.js";

const STAGES = ["NO_APP_FILE", "CONFIG_ERROR", "BUILDING", "BUILD_ERROR", "APP_STARTING",
  "RUNNING", "RUNNING_BUILDING", "RUNNING_APP_STARTING", "RUNTIME_ERROR", "SLEEPING", "PAUSED",
  "STOPPED", "DELETING"];
const filters = { offset: 0, stage: "", q: "" };

// gcTimeout: seconds of inactivity before sleeping; null or -1: never.
function sleep(seconds) {
  return seconds === null || seconds < 0 ? "never" : secs(seconds);
}

function hardware(hw) {
  return `${hw.requested || "default"} / ${hw.current || "—"}`;
}

export function mount(main, _params, { refresh }) {
  const region = h("div", { class: "data" });
  const stageSelect = h("select", { name: "stage" },
    h("option", { value: "" }, "any stage"), STAGES.map((s) => h("option", { value: s }, s)));
  stageSelect.value = filters.stage;
  const search = h("input", { name: "q", type: "search", value: filters.q, placeholder: "ns/name" });
  const form = h("form", { class: "filters", onsubmit: (event) => {
    event.preventDefault();
    Object.assign(filters, { offset: 0, stage: stageSelect.value, q: search.value.trim() });
    refresh();
  } }, field("Stage", stageSelect), field("Id contains", search), h("button", { type: "submit" }, "Filter"));
  main.append(h("h2", { class: "view-title" }, "Spaces"), form, region);
  return {
    async update() {
      const query = new URLSearchParams({ offset: filters.offset, limit: 50 });
      if (filters.stage) query.set("stage", filters.stage);
      if (filters.q) query.set("q", filters.q);
      const page = await api(`/_fakehub/spaces?${query}`);
      const rows = page.items.map((s) => [
        h("a", { href: `#/spaces/${s.id}`, "data-key": `space:${s.id}` }, s.id),
        stage(s.stage), hardware(s.hardware), sleep(s.sleepTime), usd(s.costUsd)]);
      region.replaceChildren(
        table("Spaces", ["Space", "Stage", "Hardware requested / current", "Sleep after", "Cost so far"],
          rows, { empty: "No Space matches." }),
        page.total > page.limit ? pager(page, (offset) => { filters.offset = offset; refresh(); }) : "");
    },
  };
}

function actions(id, refresh) {
  const base = `/_fakehub/spaces/${id}`;
  const run = (button, path, body) => act(button, async () => {
    await api(`${base}/${path}`, { method: "POST", body });
    await refresh();
  });
  const crashAfter = h("input", { name: "crashAfter", value: "30s", size: 6, required: true });
  return h("div", { class: "actions", role: "group", "aria-label": "Actions on this Space" },
    h("button", { type: "button", onclick: (e) => run(e.currentTarget, "visit", {}) }, "Visit / wake"),
    h("button", { type: "button", onclick: (e) => run(e.currentTarget, "outcome", { build: "error",
      buildLogs: ["ERROR: pip install failed (scripted from the dashboard)"] }) }, "Script a build failure"),
    h("form", { class: "inline", onsubmit: (event) => {
      event.preventDefault();
      run(event.submitter, "outcome", { crashAfter: formData(event.currentTarget).crashAfter });
    } }, field("Crash after", crashAfter), h("button", { type: "submit" }, "Script a crash")),
    h("button", { type: "button", onclick: (e) => run(e.currentTarget, "outcome", {}) }, "Script success"));
}

function facts(space) {
  const items = [
    ["Stage", stage(space.stage)], ["SDK", space.sdk], ["Visibility", space.visibility],
    ["Hardware requested", space.hardware.requested || "default"],
    ["Hardware current", space.hardware.current || "—"], ["Sleep after", sleep(space.sleepTime)],
    ["Cost so far", usd(space.costUsd)], ["Created", when(space.createdAt)],
    ["Scripted", `build ${space.script.build}` +
      (space.script.crashAfter !== null ? `, crash after ${secs(space.script.crashAfter)}` : "")],
  ];
  if (space.errorMessage) items.push(["Error", space.errorMessage]);
  return h("dl", { class: "facts" }, items.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export function logBlock(title, lines) {
  return h("section", {}, h("h3", {}, title),
    lines.length ? h("pre", { class: "logs", tabindex: 0 }, lines.map((l) => `${when(l.at)}  ${l.text.replace(/\n$/, "")}\n`))
      : h("p", { class: "muted" }, "No lines."));
}

export function mountDetail(main, [namespace, name], { refresh }) {
  const id = `${namespace}/${name}`;
  const region = h("div", { class: "data" });
  main.append(
    h("p", {}, h("a", { href: "#/spaces" }, "← All Spaces")),
    h("h2", { class: "view-title" }, `Space ${id}`), actions(id, refresh), region);
  return {
    async update() {
      const [space, clock] = await Promise.all([api(`/_fakehub/spaces/${id}`), api("/_fakehub/clock")]);
      region.replaceChildren(
        facts(space),
        h("section", {}, h("h3", {}, "Timeline"),
          timeline({ label: `Stages of ${id}`, marks: space.history.marks, charges: space.charges,
            nowNs: clock.nowNs, dropped: space.history.dropped }), legend()),
        table("Variables", ["Key", "Value", "Description"],
          space.variables.map((v) => [v.key, v.value, v.description || ""]), { empty: "No variables." }),
        h("section", {}, h("h3", {}, "Secrets (keys only)"), space.secretKeys.length
          ? h("ul", { class: "keys" }, space.secretKeys.map((k) => h("li", {}, h("code", {}, k))))
          : h("p", { class: "muted" }, "No secrets.")),
        table("Files", ["Path", "Size (bytes)"], space.files.map((f) => [f.path, f.size]),
          { empty: "No files." }),
        table("Charges", ["Flavor", "From", "To", "Cost"], space.charges.map((c) =>
          [c.flavor, when(c.start), c.end ? when(c.end) : "still held", usd(c.costUsd)]),
        { empty: "Nothing billed (free or not serving)." }),
        logBlock("Build logs", space.buildLogs), logBlock("Run logs", space.runLogs));
    },
  };
}
