import type { z } from "zod";

import { ApiError, validationError } from "@/lib/contract";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON object body and validates it with `schema`, turning each way a body can
 * be wrong into its own 4xx: wrong Content-Type (415), over 1 MB (413, without reading
 * past the limit), not JSON or not an object (400), fields that break the schema (400
 * with one detail per field).
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const text = await readJsonText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("validation_error", "Request body is not valid JSON", [{ path: "body", message: "must be valid JSON" }]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("validation_error", "Request body must be a JSON object", [{ path: "body", message: "must be a JSON object" }]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, value);
  return result.data;
}

/**
 * A JSON body's exact text, unparsed: the Content-Type (415), size (413) and UTF-8 (400)
 * checks only. For a body whose signature covers its bytes (lib/contract: verbatimBody).
 */
export async function readJsonText(request: Request): Promise<string> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Content-Type must be application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  return readLimited(request);
}

// The rest of an oversized body is never read, so the connection cannot carry another
// request: say so, or a keep-alive client would wait on it until it times out.
const tooLarge = () =>
  new ApiError("payload_too_large", `Request body must be at most ${MAX_BODY_BYTES} bytes`, undefined, { connection: "close" });

/** The body's text, at most MAX_BODY_BYTES (413 past it, without reading on) and UTF-8 (400 otherwise), whatever its type. */
export async function readLimited(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  // fatal: invalid UTF-8 is a bad body, not something to repair silently.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("validation_error", "Request body is not valid UTF-8", [{ path: "body", message: "must be UTF-8 encoded JSON" }]);
  }
}
