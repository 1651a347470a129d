// Jobs: a page of every Job, a queue of scripted outcomes, one Job with live logs and metrics.

import { api } from "../api.js";
import { act, field, formData, h, pager, secs, stage, table, usd, when } from "../dom.js";
import { legend, timeline } from "../timeline.js";

const STAGES = ["SCHEDULING", "RUNNING", "COMPLETED", "ERROR", "CANCELED", "DELETED"];
const filters = { offset: 0, stage: "", q: "" };

// Form values -> an outcome body (empty fields left out, numbers as numbers).
function outcomeOf(values) {
  const body = {};
  if (values.exitCode !== "") body.exitCode = Number(values.exitCode);
  if (values.message) body.message = values.message;
  if (values.seconds) body.seconds = values.seconds;
  if (values.logs) body.logs = values.logs.split("\n").filter((line) => line !== "");
  return body;
}

function outcomeFields() {
  return [
    field("Exit code", h("input", { name: "exitCode", type: "number", value: "1", size: 4 })),
    field("Message", h("input", { name: "message", value: "CUDA out of memory", size: 22 })),
    field("Runs for", h("input", { name: "seconds", placeholder: "60s", size: 6 })),
  ];
}

function queueForm(refresh, queued) {
  return h("form", { class: "inline card", onsubmit: (event) => {
    event.preventDefault();
    const body = { outcomes: [outcomeOf(formData(event.currentTarget))] };
    act(event.submitter, async () => {
      await api("/_fakehub/jobs/outcomes", { method: "POST", body });
      await refresh();
    });
  } }, h("h3", {}, "Queue an outcome for the next job"), outcomeFields(),
  h("button", { type: "submit" }, "Queue outcome"),
  h("button", { type: "button", onclick: (event) => act(event.currentTarget, async () => {
    await api("/_fakehub/jobs/outcomes", { method: "DELETE" });
    await refresh();
  }) }, "Clear queue"), queued);
}

export function mount(main, _params, { refresh }) {
  const region = h("div", { class: "data" });
  const queued = h("span", { class: "muted", role: "status" });
  const stageSelect = h("select", { name: "stage" }, h("option", { value: "" }, "any stage"),
    STAGES.map((s) => h("option", { value: s }, s)));
  stageSelect.value = filters.stage;
  const search = h("input", { name: "q", type: "search", value: filters.q, placeholder: "job id" });
  const form = h("form", { class: "filters", onsubmit: (event) => {
    event.preventDefault();
    Object.assign(filters, { offset: 0, stage: stageSelect.value, q: search.value.trim() });
    refresh();
  } }, field("Stage", stageSelect), field("Id contains", search), h("button", { type: "submit" }, "Filter"));
  main.append(h("h2", { class: "view-title" }, "Jobs"), queueForm(refresh, queued), form, region);
  return {
    async update() {
      const query = new URLSearchParams({ offset: filters.offset, limit: 50 });
      if (filters.stage) query.set("stage", filters.stage);
      if (filters.q) query.set("q", filters.q);
      const [page, queue] = await Promise.all([api(`/_fakehub/jobs?${query}`), api("/_fakehub/jobs/outcomes")]);
      queued.textContent = `${queue.outcomes.length} queued`;
      const rows = page.items.map((j) => [
        h("a", { href: `#/jobs/${j.namespace}/${j.id}`, "data-key": `job:${j.id}` }, j.id),
        j.namespace, stage(j.stage), j.flavor, when(j.createdAt),
        `${secs(j.durations.schedulingSecs)} / ${secs(j.durations.runningSecs)}`, usd(j.costUsd)]);
      region.replaceChildren(
        table("Jobs, newest first", ["Job", "Owner", "Stage", "Flavor", "Created", "Scheduling / running", "Cost"],
          rows, { empty: "No job matches." }),
        page.total > page.limit ? pager(page, (offset) => { filters.offset = offset; refresh(); }) : "");
    },
  };
}

function metricsBlock(metrics) {
  if (!metrics) return h("p", { class: "muted" }, "No metrics: the job is not running.");
  const rows = Object.entries(metrics).filter(([, v]) => typeof v !== "object")
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]);
  return h("dl", { class: "facts" }, rows);
}

function facts(job) {
  const items = [
    ["Stage", stage(job.stage)], ["Flavor", job.flavor], ["Image", job.image || "—"],
    ["Command", h("code", {}, job.command.join(" "))], ["Created", when(job.createdAt)],
    ["Started", when(job.startedAt)], ["Finished", when(job.finishedAt)],
    ["Scheduling", secs(job.durations.schedulingSecs)], ["Running", secs(job.durations.runningSecs)],
    ["Cost", usd(job.costUsd)], ["Attempt", job.attempt], ["Exit code", job.exitCode ?? "—"],
  ];
  if (job.message) items.push(["Message", job.message]);
  if (job.secretKeys.length) items.push(["Secrets (keys)", job.secretKeys.join(", ")]);
  return h("dl", { class: "facts" }, items.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export function mountDetail(main, [namespace, id], { refresh }) {
  const base = `/_fakehub/jobs/${namespace}/${id}`;
  const region = h("div", { class: "data" });
  const logs = h("pre", { class: "logs live", id: "job-logs", tabindex: 0, "aria-live": "polite",
    "aria-label": "Job logs" });
  let next = 0;
  const script = h("form", { class: "inline card", onsubmit: (event) => {
    event.preventDefault();
    const body = outcomeOf(formData(event.currentTarget));
    act(event.submitter, async () => { await api(`${base}/outcome`, { method: "POST", body }); await refresh(); });
  } }, h("h3", {}, "Script this job"), outcomeFields(), h("button", { type: "submit" }, "Script outcome"));
  main.append(h("p", {}, h("a", { href: "#/jobs" }, "← All Jobs")),
    h("h2", { class: "view-title" }, `Job ${id}`), script, region,
    h("section", {}, h("h3", {}, "Logs (live)"), logs));
  return {
    async update() {
      const [job, clock] = await Promise.all([api(`${base}?logsFrom=${next}`), api("/_fakehub/clock")]);
      const following = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 8;
      for (const line of job.logs.lines) logs.append(`${when(line.at)}  ${line.text.replace(/\n$/, "")}\n`);
      next = job.logs.next;
      if (!next) logs.textContent = "(no lines yet)\n";
      else if (logs.firstChild?.textContent === "(no lines yet)\n") logs.firstChild.remove();
      if (following) logs.scrollTop = logs.scrollHeight; // keep the newest line in view
      script.hidden = ["COMPLETED", "ERROR", "CANCELED", "DELETED"].includes(job.stage); // final
      region.replaceChildren(facts(job),
        h("section", {}, h("h3", {}, "Timeline"), timeline({ label: `Stages of job ${id}`,
          marks: job.history.marks, charges: job.charges, nowNs: clock.nowNs, dropped: job.history.dropped }), legend()),
        h("section", {}, h("h3", {}, "Metrics"), metricsBlock(job.metrics)));
    },
  };
}
