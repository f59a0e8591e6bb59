import type { z } from "zod";

import { ApiError, type OAuthErrorCode } from "@/lib/contract";

import { readLimited } from "./body";

// An OAuth 2.0 token endpoint's request and answers (lib/contract: `oauth: true`): the body
// form-encoded as RFC 6749 §3.2 has clients send it (or JSON), and every answer outside the
// envelope with `Cache-Control: no-store` (RFC 6749 §5.1): a token in a cache is a leak.

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/** A refusal: RFC 6749 §5.2's `{ error, error_description }`, 400. */
export function oauthError(code: OAuthErrorCode, description: string): Response {
  return Response.json({ error: code, error_description: description }, { status: 400, headers: NO_STORE });
}

export function oauthAnswer(body: unknown): Response {
  return Response.json(body, { status: 200, headers: NO_STORE });
}

/** A request's parameters, or why they cannot be read (as an OAuth error). */
export type OAuthParams<S extends z.ZodType> = { ok: true; params: z.output<S> } | { ok: false; response: Response };

/**
 * Reads the parameters: `application/x-www-form-urlencoded` (a parameter sent twice is
 * refused, as RFC 6749 §3.2 says) or a JSON object. A wrong `grant_type` is
 * `unsupported_grant_type`; anything else wrong, `invalid_request` naming the parameter.
 */
export async function readOAuthParams<S extends z.ZodType>(request: Request, schema: S, grantType: string): Promise<OAuthParams<S>> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  let raw: Record<string, unknown>;
  try {
    const text = await readLimited(request);
    if (/^application\/x-www-form-urlencoded\s*(;|$)/.test(type)) {
      const form = new URLSearchParams(text);
      // No prototype: a parameter named `constructor` is a parameter like any other.
      raw = Object.create(null) as Record<string, unknown>;
      for (const [name, value] of form) {
        if (Object.hasOwn(raw, name)) return { ok: false, response: oauthError("invalid_request", `${name} is sent more than once`) };
        raw[name] = value;
      }
    } else if (/^application\/(?:[\w.+-]+\+)?json\s*(;|$)/.test(type)) {
      const value: unknown = JSON.parse(text);
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SyntaxError("not an object");
      raw = value as Record<string, unknown>;
    } else {
      return { ok: false, response: oauthError("invalid_request", "the body must be application/x-www-form-urlencoded (or application/json)") };
    }
  } catch (error) {
    const message = error instanceof ApiError ? error.message : "the body is not a JSON object";
    return { ok: false, response: oauthError("invalid_request", message) };
  }
  if (raw.grant_type !== undefined && raw.grant_type !== grantType) {
    return { ok: false, response: oauthError("unsupported_grant_type", `grant_type must be ${grantType}`) };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, params: result.data };
  const issue = result.error.issues[0]!;
  const name = issue.path.map(String).join(".") || "body";
  const missing = raw[name] === undefined && name !== "body";
  return { ok: false, response: oauthError("invalid_request", missing ? `${name} is required` : `${name} ${issue.message}`) };
}
