// Small DOM helpers: build elements, format values, show a notice. No framework.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

export function usd(value) {
  return `$${Number(value || 0).toFixed(value && value < 0.01 ? 4 : 2)}`;
}

export function secs(total) {
  if (total === null || total === undefined) return "—";
  if (total < 0) return "never";
  const units = [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]];
  const parts = [];
  let rest = Math.round(total);
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ") || "0s";
}

// "2026-01-01T00:10:00.000Z" -> "2026-01-01 00:10:00"
export function when(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "").replace(/Z$/, "") : "—";
}

export function stage(name) {
  return h("span", { class: `stage stage-${(name || "").toLowerCase()}` }, name || "—");
}

export function table(caption, headings, rows, { empty = "Nothing here." } = {}) {
  if (!rows.length) return h("p", { class: "muted" }, empty);
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))));
}

export function notice(message, kind = "error") {
  const box = document.getElementById("notice");
  box.textContent = message;
  box.className = kind;
  box.hidden = !message;
}

// Run an action from a button or form: disable it meanwhile, report failures on the page.
export async function act(control, action) {
  if (control) control.disabled = true;
  try {
    const result = await action();
    notice("");
    return result;
  } catch (error) {
    notice(error.message || String(error));
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}

export function field(label, input) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h("span", { class: "field" }, h("label", { for: id }, label), input);
}

export function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

export function pager(page, onMove) {
  const last = Math.max(0, Math.ceil(page.total / page.limit) - 1);
  const at = Math.floor(page.offset / page.limit);
  return h("nav", { class: "pager", "aria-label": "Pages" },
    h("button", { type: "button", disabled: at === 0, onclick: () => onMove(0) }, "« First"),
    h("button", { type: "button", disabled: at === 0,
      onclick: () => onMove((at - 1) * page.limit) }, "‹ Previous"),
    h("span", {}, `${page.total ? page.offset + 1 : 0}–${page.offset + page.items.length} of ${page.total}`),
    h("button", { type: "button", disabled: at >= last,
      onclick: () => onMove((at + 1) * page.limit) }, "Next ›"),
    h("button", { type: "button", disabled: at >= last,
      onclick: () => onMove(last * page.limit) }, "Last »"));
}
