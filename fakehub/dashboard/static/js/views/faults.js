// Fault rules and flavor outages: list, add, remove, clear.

import { api } from "../api.js";
import { act, field, formData, h, table, when } from "../dom.js";

function post(button, path, body, refresh) {
  return act(button, async () => { await api(path, { method: "POST", body }); await refresh(); });
}

function remove(button, path, refresh) {
  return act(button, async () => { await api(path, { method: "DELETE" }); await refresh(); });
}

function faultForm(refresh) {
  return h("form", { class: "card inline", onsubmit: (event) => {
    event.preventDefault();
    const v = formData(event.currentTarget);
    const body = { route: v.route || "*", method: v.method || "*" };
    if (v.status) body.status = Number(v.status);
    if (v.count) body.count = Number(v.count);
    if (v.latency) body.latency = v.latency;
    post(event.submitter, "/_fakehub/faults", body, refresh);
  } }, h("h3", {}, "Add a fault"),
  field("Route", h("input", { name: "route", value: "/api/spaces/*", size: 18 })),
  field("Method", h("select", { name: "method" }, ["*", "GET", "POST", "PUT", "DELETE"].map((m) =>
    h("option", { value: m }, m)))),
  field("Status", h("input", { name: "status", type: "number", value: "503", size: 4 })),
  field("Count", h("input", { name: "count", type: "number", min: 1, value: "1", size: 3 })),
  field("Latency", h("input", { name: "latency", placeholder: "2s", size: 5 })),
  h("button", { type: "submit" }, "Add fault"));
}

function outageForm(refresh) {
  return h("form", { class: "card inline", onsubmit: (event) => {
    event.preventDefault();
    const v = formData(event.currentTarget);
    post(event.submitter, "/_fakehub/outages", { flavor: v.flavor, for: v.for, kind: v.kind }, refresh);
  } }, h("h3", {}, "Add an outage"),
  field("Flavor", h("input", { name: "flavor", value: "a10g-small", size: 12, required: true })),
  field("For", h("input", { name: "for", value: "10m", size: 5, required: true })),
  field("Kind", h("select", { name: "kind" }, ["both", "space", "job"].map((k) => h("option", { value: k }, k)))),
  h("button", { type: "submit" }, "Add outage"));
}

function describe(fault) {
  const parts = [`${fault.method || "*"} ${fault.route || "*"}`];
  if (fault.status) parts.push(`→ ${fault.status}`);
  if (fault.latency) parts.push(`latency ${fault.latency}`);
  return parts.join(" ");
}

export function mount(main, _params, { refresh }) {
  const faults = h("div", { class: "data" });
  const outages = h("div", { class: "data" });
  main.append(h("h2", { class: "view-title" }, "Faults & outages"),
    faultForm(refresh), h("section", {}, h("h3", {}, "Fault rules"), faults,
      h("button", { type: "button", class: "danger", onclick: (e) => remove(e.currentTarget, "/_fakehub/faults", refresh) },
        "Clear all faults")),
    outageForm(refresh), h("section", {}, h("h3", {}, "Outages"), outages,
      h("button", { type: "button", class: "danger", onclick: (e) => remove(e.currentTarget, "/_fakehub/outages", refresh) },
        "Clear all outages")));
  return {
    async update() {
      const [rules, down] = await Promise.all([api("/_fakehub/faults"), api("/_fakehub/outages")]);
      faults.replaceChildren(table("Fault rules", ["Id", "Rule", "Applied", "Left", "State", ""], rules.faults.map((f) => [
        h("code", {}, f.id), describe(f.rule), String(f.applied), f.remaining ?? "∞", f.active ? "active" : "spent",
        h("button", { type: "button", "data-key": `fault:${f.id}`, "aria-label": `Remove fault ${f.id}`,
          onclick: (e) => remove(e.currentTarget, `/_fakehub/faults/${f.id}`, refresh) }, "Remove")]),
      { empty: "No fault rules: every request is answered normally." }));
      outages.replaceChildren(table("Outages", ["Flavor", "Kind", "From", "To", "State"], down.outages.map((o) =>
        [o.flavor, o.kind, when(o.start), when(o.end), o.active ? "active" : "over or not begun"]),
      { empty: "No outage: every flavor has capacity." }));
    },
  };
}
