// The one door to the control API: every request (and the event stream) goes through here,
// so the Authorization header and the 401 prompt live in one place.

const TOKEN_KEY = "fakehub.controlToken";
let asking = null;

function headers(extra = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

// Ask the person for the control token (once at a time); resolves true when one was given.
export function askToken() {
  if (asking) return asking;
  const dialog = document.getElementById("token-dialog");
  const input = document.getElementById("token-input");
  asking = new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      asking = null;
      const ok = dialog.returnValue === "ok" && input.value.trim() !== "";
      if (ok) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      input.value = "";
      resolve(ok);
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
  return asking;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// fetch a control route; JSON in, JSON out; a 401 prompts for the token and retries.
export async function api(path, { method = "GET", body } = {}) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const init = { method, headers: headers({ Accept: "application/json" }) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    if (response.status === 401 && (await askToken())) continue;
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      const message = (data && data.error) || `${response.status} ${response.statusText}`;
      throw new ApiError(response.status, message);
    }
    return data;
  }
  throw new ApiError(401, "a control token is needed");
}

// The one event stream of the page (GET /_fakehub/events), read with fetch so it can carry
// the same Authorization header as every other call. Reconnects after a drop.
export function follow(onEvent, onStatus) {
  let stopped = false;
  let controller = null;
  async function run() {
    let delay = 500;
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch("/_fakehub/events", {
          headers: headers({ Accept: "text/event-stream" }),
          signal: controller.signal,
        });
        if (response.status === 401) {
          onStatus("locked");
          if (!(await askToken())) return;
          continue;
        }
        if (!response.ok || !response.body) throw new Error(String(response.status));
        onStatus("live");
        delay = 500;
        await read(response.body, onEvent);
      } catch (error) {
        if (stopped) return;
      }
      onStatus("offline");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
  run();
  window.addEventListener("pagehide", () => { stopped = true; controller?.abort(); });
  return () => { stopped = true; controller?.abort(); };
}

async function read(stream, onEvent) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}
