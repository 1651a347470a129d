// A resource's life over virtual time, as SVG: one band per stage, hardware changes marked
// on the band, billed periods (charges) on a lane below, a time axis under both.

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 760;
const PAD = 12;
const BAND = { y: 18, height: 30 };
const LANE = { y: 58, height: 14 };
const AXIS_Y = 90;

// What the colours and marks mean, under every timeline.
export function legend() {
  const item = (cls, text) => {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `swatch ${cls}`;
    li.append(swatch, text);
    return li;
  };
  const list = document.createElement("ul");
  list.className = "legend";
  list.append(item("sw-start", "building / starting / scheduling"), item("sw-run", "running / completed"),
    item("sw-error", "error"), item("sw-rest", "sleeping / paused / canceled"),
    item("sw-charge", "billed hardware"), item("sw-hw", "hardware requested"), item("sw-now", "now"));
  return list;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function clockTime(ns) {
  return new Date(Number(BigInt(ns) / 1000000n)).toISOString().slice(11, 19);
}

function dollars(usd) {
  return `$${usd.toFixed(usd && usd < 0.01 ? 4 : 2)}`;
}

function span(seconds) {
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

function titled(node, text) {
  node.append(svg("title", {}, text));
  return node;
}

// marks: [{atNs, stage, requested, current}], charges: [{flavor, startNs, endNs, costUsd}]
export function timeline({ label, marks, charges = [], nowNs, dropped = 0 }) {
  const start = marks.length ? marks[0].atNs : nowNs;
  // A little room after "now", so the stage the resource is in now shows as a band.
  const end = Math.max(nowNs, start + 1e9) + (Math.max(nowNs, start + 1e9) - start) * 0.04;
  const scale = (WIDTH - 2 * PAD) / (end - start);
  const x = (ns) => PAD + (Math.min(Math.max(ns, start), end) - start) * scale;
  const root = svg("svg", {
    class: "timeline", viewBox: `0 0 ${WIDTH} 100`, role: "img",
    "aria-label": `${label}: ${marks.map((m) => m.stage).join(", then ")}`,
  });
  root.append(svg("text", { x: PAD, y: 12, class: "lane-label" },
    dropped ? `stages (${dropped} earlier changes not kept)` : "stages"));
  marks.forEach((mark, index) => root.append(stageBand(mark, marks[index + 1], end, x)));
  root.append(nowLine(nowNs, x));
  hardwareChanges(marks).forEach((mark) => root.append(hardwareMark(mark, x)));
  root.append(svg("text", { x: PAD, y: LANE.y - 2, class: "lane-label" }, "charges"));
  charges.forEach((charge) => root.append(chargeBar(charge, end, x)));
  axis(root, start, end, x);
  return root;
}

// Where the hardware changed: a new flavor requested (when the app moved onto it shows on the
// charges lane, where one billed period ends and the next begins).
function hardwareChanges(marks) {
  return marks.filter((mark, index) => index > 0 && mark.requested !== marks[index - 1].requested);
}

function stageBand(mark, next, end, x) {
  const to = next ? next.atNs : end;
  const width = Math.max(x(to) - x(mark.atNs), 1.5);
  const group = svg("g", { class: `seg seg-${mark.stage.toLowerCase()}` });
  titled(group, `${mark.stage} from ${clockTime(mark.atNs)} for ${span((to - mark.atNs) / 1e9)}` +
    (mark.requested ? ` (hardware ${mark.requested})` : ""));
  group.append(svg("rect", { x: x(mark.atNs), y: BAND.y, width, height: BAND.height, rx: 3 }));
  if (width > 70) {
    group.append(svg("text", { x: x(mark.atNs) + 4, y: BAND.y + 19, class: "seg-label" },
      mark.stage.length * 6.5 > width - 6 ? mark.stage.slice(0, Math.floor((width - 8) / 6.5)) : mark.stage));
  }
  return group;
}

function nowLine(nowNs, x) {
  const group = svg("g", { class: "now" });
  titled(group, `now: ${clockTime(nowNs)}`);
  group.append(svg("line", { x1: x(nowNs), x2: x(nowNs), y1: BAND.y - 2, y2: LANE.y + LANE.height + 2 }));
  return group;
}

function hardwareMark(mark, x) {
  const at = x(mark.atNs);
  const group = svg("g", { class: "hw-change" });
  titled(group, `hardware at ${clockTime(mark.atNs)}: requested ${mark.requested || "—"}, ` +
    `serving on ${mark.current || "—"}`);
  group.append(svg("line", { x1: at, x2: at, y1: BAND.y - 4, y2: BAND.y + BAND.height + 2 }));
  group.append(svg("path", { d: `M${at - 5},${BAND.y - 9} L${at + 5},${BAND.y - 9} L${at},${BAND.y - 3} Z` }));
  const nearEnd = at > WIDTH - 120;
  group.append(svg("text", { x: nearEnd ? at - 7 : at + 7, y: BAND.y - 4, class: "hw-label",
    "text-anchor": nearEnd ? "end" : "start" }, mark.requested || "default"));
  return group;
}

function chargeBar(charge, end, x) {
  const to = charge.endNs === null ? end : charge.endNs;
  const group = svg("g", { class: `charge${charge.endNs === null ? " open" : ""}` });
  titled(group, `billed ${charge.flavor} from ${clockTime(charge.startNs)}` +
    `${charge.endNs === null ? " (still running)" : ` to ${clockTime(charge.endNs)}`}: ${dollars(charge.costUsd)}`);
  group.append(svg("rect", { x: x(charge.startNs), y: LANE.y, width: Math.max(x(to) - x(charge.startNs), 1.5),
    height: LANE.height, rx: 2 }));
  group.append(svg("circle", { cx: x(charge.startNs), cy: LANE.y + LANE.height / 2, r: 4 }));
  if (x(to) - x(charge.startNs) > 90) {
    group.append(svg("text", { x: x(charge.startNs) + 7, y: LANE.y + 11, class: "charge-label" },
      `${charge.flavor} ${dollars(charge.costUsd)}`));
  }
  return group;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 6 * 3600, 12 * 3600,
  86400, 7 * 86400];

// Ticks on round virtual times (every 10 s, 5 min, 1 h, ...), at most six of them.
function axis(root, start, end, x) {
  root.append(svg("line", { x1: PAD, x2: WIDTH - PAD, y1: AXIS_Y - 10, y2: AXIS_Y - 10, class: "axis" }));
  const seconds = (end - start) / 1e9;
  const step = (STEPS.find((s) => seconds / s <= 6) || STEPS[STEPS.length - 1]) * 1e9;
  for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
    const near = x(at) < PAD + 25 ? "start" : x(at) > WIDTH - PAD - 25 ? "end" : "middle";
    root.append(svg("line", { x1: x(at), x2: x(at), y1: AXIS_Y - 13, y2: AXIS_Y - 7, class: "axis" }));
    root.append(svg("text", { x: x(at), y: AXIS_Y + 4, "text-anchor": near, class: "tick" }, clockTime(at)));
  }
}
