// The dashboard's shell: the header (clock, advance, reset), hash routing between views, and
// the live loop (one event stream; each "change" re-reads the clock and the current view).

import { api, follow } from "./api.js";
import { act, notice, when } from "./dom.js";
import * as faults from "./views/faults.js";
import * as jobs from "./views/jobs.js";
import * as overview from "./views/overview.js";
import * as requests from "./views/requests.js";
import * as scenario from "./views/scenario.js";
import * as scheduled from "./views/scheduled.js";
import * as spaces from "./views/spaces.js";

const ROUTES = [
  [/^#\/spaces\/([^/]+)\/([^/]+)$/, spaces.mountDetail],
  [/^#\/spaces$/, spaces.mount],
  [/^#\/jobs\/([^/]+)\/([^/]+)$/, jobs.mountDetail],
  [/^#\/jobs$/, jobs.mount],
  [/^#\/scheduled$/, scheduled.mount],
  [/^#\/requests$/, requests.mount],
  [/^#\/faults$/, faults.mount],
  [/^#\/scenario$/, scenario.mount],
  [/^(#\/?)?$/, overview.mount],
];

const main = document.getElementById("main");
let current = null;      // the mounted view: { update() }
let updating = null;     // the update in flight
let again = false;       // a change arrived while updating

function route(event) {
  const hash = location.hash;
  const found = ROUTES.find(([pattern]) => pattern.test(hash));
  const [pattern, mount] = found || ROUTES[ROUTES.length - 1];
  const params = (hash.match(pattern) || []).slice(1).map(decodeURIComponent);
  for (const link of document.querySelectorAll("nav a")) {
    const target = link.getAttribute("href");
    const active = target === "#/" ? hash === "" || hash === "#/" : hash.startsWith(target);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  main.replaceChildren();
  current = mount(main, params, { refresh });
  // After a navigation, reading continues at the new view (as a page load would put it).
  if (event) main.focus({ preventScroll: true });
  refresh();
}

// Re-read what the page shows; calls that arrive meanwhile fold into one more pass.
export function refresh() {
  if (updating) { again = true; return updating; }
  updating = (async () => {
    for (;;) {
      again = false;
      await Promise.all([showClock(), current ? keepFocus(() => current.update()) : null]);
      if (!again) break;
      // Changes keep coming (a realtime clock): redraw at most about three times a second.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })().catch((error) => notice(error.message || String(error))).finally(() => { updating = null; });
  return updating;
}

// Views redraw their data; put the focus back on the control that had it (same data-key).
async function keepFocus(update) {
  const key = document.activeElement?.dataset?.key;
  await update();
  if (key && document.activeElement === document.body) {
    main.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }
}

async function showClock() {
  const clock = await api("/_fakehub/clock");
  document.getElementById("clock-now").textContent = when(clock.now);
  document.getElementById("clock-now").setAttribute("datetime", clock.now);
  document.getElementById("clock-mode").textContent =
    clock.mode === "manual" ? "manual" : `realtime ×${clock.speed}`;
}

async function advance(control, by) {
  const seconds = /^\d+(\.\d+)?$/.test(by) ? Number(by) : by;
  await act(control, () => api("/_fakehub/clock/advance", { method: "POST", body: { seconds } }));
  await refresh();
}

function wireHeader() {
  for (const button of document.querySelectorAll("[data-advance]")) {
    button.addEventListener("click", () => advance(button, button.dataset.advance));
  }
  document.getElementById("advance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("advance-by");
    advance(event.submitter, input.value.trim());
  });
  const reset = document.getElementById("reset");
  // A reset drops every Space, Job, fault and the request log: the first press arms it.
  let armed = null;
  reset.addEventListener("click", async () => {
    if (!armed) {
      reset.textContent = "Confirm reset";
      armed = setTimeout(() => { armed = null; reset.textContent = "Reset"; }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    reset.textContent = "Reset";
    await act(reset, () => api("/_fakehub/reset", { method: "POST" }));
    await refresh();
  });
}

function showLive(state) {
  const badge = document.getElementById("live");
  badge.textContent = { live: "live", offline: "reconnecting…", locked: "token needed" }[state] || state;
  badge.className = `pill ${state === "live" ? "on" : "off"}`;
}

// The served page loads this module once the shell (header, navigation) has painted.
wireHeader();
window.addEventListener("hashchange", route);
route(null);
follow((name) => { if (name === "change") refresh(); }, showLive);
