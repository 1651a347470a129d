// Scheduled jobs: schedule, next run, last run.

import { api } from "../api.js";
import { h, pager, table, when } from "../dom.js";

let offset = 0;

export function mount(main, _params, { refresh }) {
  const region = h("div", { class: "data" });
  main.append(h("h2", { class: "view-title" }, "Scheduled jobs"), region);
  return {
    async update() {
      const page = await api(`/_fakehub/scheduled-jobs?offset=${offset}&limit=50`);
      const rows = page.items.map((item) => [
        item.id, item.namespace, h("code", {}, item.schedule), item.flavor,
        item.suspend ? "suspended" : "active", when(item.nextRunAt),
        item.lastRun ? [when(item.lastRun.at), " (", h("a", { href: `#/jobs/${item.namespace}/${item.lastRun.jobId}` },
          item.lastRun.jobId), ")"] : "never"]);
      region.replaceChildren(
        table("Scheduled jobs, next run first", ["Id", "Owner", "Schedule", "Flavor", "State", "Next run", "Last run"],
          rows, { empty: "No scheduled job." }),
        page.total > page.limit ? pager(page, (to) => { offset = to; refresh(); }) : "");
    },
  };
}
