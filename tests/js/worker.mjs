// One long-lived node process with the pinned @huggingface/hub, driven by tests/clients/js.py.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
//   {"op": "exec", "code": "<body of an async function>", "vars": {...}}
//   {"op": "call", "module": "files.mjs", "name": "<exported async function>", "vars": {...}}
// The code (or the function, as its one argument) gets `hub` (the package), `opts`
// ({hubUrl, accessToken}: spread it into every call) and the vars. Answers:
//   {"value": <JSON>}  or  {"error": {"name", "message", "statusCode", "url"}}
// Bytes travel as {"$bytes": "<base64>"}: a Uint8Array in the script, `bytes` in Python.
// Anything the library prints goes to stderr, so stdout carries answers only.
import * as hub from "@huggingface/hub";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const answer = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;
console.warn = console.error;
console.debug = console.error;

const opts = { hubUrl: process.env.FAKEHUB_URL, accessToken: process.env.FAKEHUB_TOKEN || undefined };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;

// Bytes cross as {"$bytes": "<base64>"} both ways (tests/clients/js.py encodes and decodes them).
function toJson(_key, value) {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString("base64") };
  if (value instanceof URL) return value.href;
  return value;
}

function fromJson(_key, value) {
  if (value && typeof value === "object" && Object.keys(value).length === 1 && typeof value.$bytes === "string") {
    return new Uint8Array(Buffer.from(value.$bytes, "base64"));
  }
  return value;
}

async function run(request) {
  const context = { hub, opts, ...request.vars };
  if (request.op === "exec") {
    const names = Object.keys(context);
    const body = new AsyncFunction(...names, request.code);
    return body(...names.map((name) => context[name]));
  }
  if (request.op === "call") {
    const module = await import(pathToFileURL(resolve(import.meta.dirname, request.module)).href);
    if (typeof module[request.name] !== "function") {
      throw new TypeError(`${request.module} exports no function ${request.name}`);
    }
    return module[request.name](context);
  }
  throw new TypeError(`unknown op ${request.op}`);
}

function describe(error) {
  return {
    name: error?.name ?? "Error",
    message: String(error?.message ?? error),
    statusCode: error?.statusCode ?? null,
    url: error?.url ?? null,
    stack: String(error?.stack ?? ""),
  };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let reply;
  try {
    const value = await run(JSON.parse(line, fromJson));
    reply = JSON.stringify({ value: value === undefined ? null : value }, toJson);
  } catch (error) {
    reply = JSON.stringify({ error: describe(error) });
  }
  answer(reply + "\n");
}
