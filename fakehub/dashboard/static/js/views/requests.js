// The request log, newest first, with filters (status, path, fault, method).

import { api } from "../api.js";
import { field, h, table, when } from "../dom.js";

const SHOWN = 200;
const filters = { status: "", path: "", fault: "", method: "" };

function faultCell(fault) {
  if (!fault) return "";
  return h("span", { class: "pill fault" }, `${fault.id}${fault.dropped ? " (dropped)" : ""}`);
}

export function mount(main, _params, { refresh }) {
  const region = h("div", { class: "data" });
  const inputs = {
    status: h("input", { name: "status", placeholder: "5xx or 429", size: 8, value: filters.status }),
    path: h("input", { name: "path", placeholder: "/api/spaces", size: 18, value: filters.path }),
    fault: h("input", { name: "fault", placeholder: "* or an id", size: 8, value: filters.fault }),
    method: h("select", { name: "method" }, ["", "GET", "POST", "PUT", "PATCH", "DELETE"].map((m) =>
      h("option", { value: m }, m || "any"))),
  };
  inputs.method.value = filters.method;
  const form = h("form", { class: "filters", onsubmit: (event) => {
    event.preventDefault();
    for (const [key, input] of Object.entries(inputs)) filters[key] = input.value.trim();
    refresh();
  } }, field("Status", inputs.status), field("Path", inputs.path), field("Fault", inputs.fault),
  field("Method", inputs.method), h("button", { type: "submit" }, "Filter"),
  h("button", { type: "button", onclick: () => {
    for (const [key, input] of Object.entries(inputs)) { filters[key] = ""; input.value = ""; }
    refresh();
  } }, "Clear filters"));
  main.append(h("h2", { class: "view-title" }, "Requests"), form, region);
  return {
    async update() {
      const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      const log = await api(`/_fakehub/requests?${query}`);
      const newest = log.requests.slice(-SHOWN).reverse();
      const rows = newest.map((r) => [String(r.seq), when(r.at), r.method,
        h("code", {}, r.path + (r.query ? `?${r.query}` : "")),
        h("span", { class: r.status >= 400 ? "status bad" : "status" }, String(r.status)),
        r.user || r.auth, faultCell(r.fault)]);
      region.replaceChildren(
        h("p", { class: "muted" }, `${log.requests.length} matching` +
          (log.requests.length > SHOWN ? `, newest ${SHOWN} shown` : "") +
          (log.evicted ? ` (${log.evicted} oldest entries evicted)` : "")),
        table("Requests, newest first", ["#", "At", "Method", "Path", "Status", "Caller", "Fault"], rows,
          { empty: "No request matches." }));
    },
  };
}
