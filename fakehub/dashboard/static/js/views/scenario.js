// The loaded scenario (load a shipped one, unload) and billing totals.

import { api } from "../api.js";
import { act, field, h, table, usd, when } from "../dom.js";

let shipped = null;

function loader(refresh) {
  const select = h("select", { name: "name" });
  const form = h("form", { class: "card inline", onsubmit: (event) => {
    event.preventDefault();
    act(event.submitter, async () => {
      await api("/_fakehub/scenario", { method: "POST", body: { name: select.value } });
      await refresh();
    });
  } }, h("h3", {}, "Load a shipped scenario"), field("Scenario", select),
  h("button", { type: "submit" }, "Load"),
  h("button", { type: "button", onclick: (event) => act(event.currentTarget, async () => {
    await api("/_fakehub/scenario", { method: "DELETE" });
    await refresh();
  }) }, "Unload"));
  return { form, select };
}

export function mount(main, _params, { refresh }) {
  const current = h("div", { class: "data" });
  const billing = h("div", { class: "data" });
  const { form, select } = loader(refresh);
  main.append(h("h2", { class: "view-title" }, "Scenario & billing"), current, form,
    h("section", {}, h("h3", {}, "Billing"), billing));
  return {
    async update() {
      shipped = shipped || (await api("/_fakehub/scenarios")).scenarios;
      if (!select.options.length) {
        select.append(...shipped.map((s) => h("option", { value: s.name, title: s.description }, s.name)));
      }
      const [loaded, bill] = await Promise.all([api("/_fakehub/scenario"), api("/_fakehub/billing")]);
      current.replaceChildren(h("p", {}, loaded.loaded
        ? [h("strong", {}, loaded.name), ` — ${loaded.description || ""} `, h("span", { class: "muted" }, loaded.source)]
        : "No scenario loaded: the plain starting state."));
      billing.replaceChildren(
        h("p", { class: "big" }, `Total ${usd(bill.totalUsd)} as of ${when(bill.now)}`),
        table("Paid hardware still held", ["Kind", "Id", "Flavor", "Since", "Cost"], bill.runningPaid.map((p) =>
          [p.kind, p.id, p.flavor, when(p.since), usd(p.costMicroUsd / 1e6)]), { empty: "No paid hardware held." }),
        table("Cost per resource (first 100)", ["Kind", "Id", "Periods", "Cost"], bill.resources.slice(0, 100).map((r) =>
          [r.kind, r.kind === "space" ? h("a", { href: `#/spaces/${r.id}` }, r.id) : r.id, String(r.periods.length),
            usd(r.costUsd)]), { empty: "Nothing billed yet." }));
    },
  };
}
