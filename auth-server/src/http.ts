// Reading requests the way GoTrue's retrieveRequestParams does: JSON bodies of at most
// 1 MiB, Go's json.Unmarshal type rules for the fields a handler reads.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";

import { ApiError, badJson, type ApiVersion } from "./errors.ts";
import type { Deps } from "./deps.ts";

const MAX_BODY_BYTES = 1024 * 1024;

/** One request, as the handlers see it. */
export type Ctx = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  apiVersion: ApiVersion;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  deps: Deps;
};

export type Body = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go's name for a JSON value's kind, for json.Unmarshal-like messages. */
function jsonKind(v: unknown) {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

type FieldType = { string: string; boolean: boolean; object: Record<string, unknown> };

/**
 * One field of a JSON body with json.Unmarshal's semantics: absent or null is the zero
 * value (undefined here); a value of the wrong type fails the request with bad_json.
 */
export function field<K extends keyof FieldType>(body: Body, name: string, type: K): FieldType[K] | undefined {
  if (!Object.hasOwn(body, name)) return undefined;
  const v = body[name];
  if (v === null) return undefined;
  const ok = type === "object" ? isPlainObject(v) : typeof v === type;
  if (!ok) {
    const goType = type === "object" ? "map[string]interface {}" : type === "boolean" ? "bool" : type;
    throw badJson(`json: cannot unmarshal ${jsonKind(v)} into Go struct field .${name} of type ${goType}`);
  }
  return v as FieldType[K];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new ApiError(413, "bad_json", "Could not parse request body as JSON: request body too large");
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) settle(() => reject(tooLarge()));
      else chunks.push(chunk);
    });
    req.on("end", () => settle(() => resolve(Buffer.concat(chunks))));
    // A client that goes away mid-body is not a server failure.
    const incomplete = () => settle(() => reject(badJson("request body is incomplete")));
    req.on("error", incomplete);
    req.on("close", incomplete);
  });
}

/** The body as an object; `null` means no parameters; anything but an object is refused. */
export async function readJson(ctx: Ctx, { allowEmpty = false } = {}): Promise<Body> {
  const raw = await readBody(ctx.req);
  if (raw.length === 0) {
    if (allowEmpty) return {};
    throw badJson("unexpected end of JSON input");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw badJson(err instanceof SyntaxError ? "invalid character in JSON input" : "JSON input is too deeply nested");
  }
  if (parsed === null) return {};
  if (!isPlainObject(parsed)) throw badJson(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type object`);
  return parsed;
}

/** The caller's address as GoTrue records it (X-Forwarded-For first: we sit behind the gateway). */
export function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers["x-forwarded-for"];
  const first = typeof forwarded === "string" ? (forwarded.split(",")[0] ?? "").trim() : "";
  if (first && isIP(first)) return first;
  const remote = req.socket?.remoteAddress;
  return remote && isIP(remote) ? remote : null;
}
