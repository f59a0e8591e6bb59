// The dashboard's one way to call /api/v1 from the browser: same-origin fetch with
// the session cookie (the default `credentials: "same-origin"`), so the dashboard uses
// exactly the API that curl and the CLI use. The browser adds Origin to POST and
// DELETE by itself, which is what the API's CSRF check looks at.
//
// Every call names its operation of the contract (lib/contract): the method and path come
// from it, the body's and the answer's types too, so renaming a field breaks the build here.
// Pure client code: no server imports.

import { asksForSecondFactor, type DataOf, type ErrorDetail, type OperationDefinition, type PageMeta, type ParamsOf, type RequestBodyOf } from "@/lib/contract";

export type ApiErrorDetail = ErrorDetail;

export type ApiSuccess<T> = { ok: true; status: number; data: T; meta?: PageMeta };
export type ApiFailure = {
  ok: false;
  /** 0 when the server could not be reached at all. */
  status: number;
  code: string;
  message: string;
  details: ApiErrorDetail[];
  /** The session must pass the user's second factor first (403 with the step-up challenge). */
  secondFactor?: boolean;
};
export type ApiResult<T> = ApiSuccess<T> | ApiFailure;

const NETWORK_MESSAGE = "Couldn't reach Tuned Tensor. Check your connection and try again.";

// What to tell a person, by the API's stable error codes; the API's own message is
// kept for validation errors, where it is specific.
const FRIENDLY: Record<string, string> = {
  unauthorized: "Your session has ended. Log in again to continue.",
  forbidden: "You're not allowed to do that.",
  not_found: "It no longer exists — it may have been deleted.",
  rate_limited: "Too many requests. Wait a moment, then try again.",
  internal_error: "Something went wrong on our side. Please try again.",
};

type CallInit<O extends OperationDefinition> = { signal?: AbortSignal } & (O["params"] extends object ? { params: ParamsOf<O> } : { params?: never }) &
  (O["body"] extends object ? { body: RequestBodyOf<O> } : { body?: never });

/** The operation's path with its parameters filled in: `/api/v1/api-keys/{id}` → `/api/v1/api-keys/0b7c…`. */
export function pathOf(operation: OperationDefinition, params: Record<string, string> = {}): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operation.path} needs the parameter ${name}`);
    return encodeURIComponent(value);
  });
}

export async function callApi<O extends OperationDefinition>(operation: O, init: CallInit<O>): Promise<ApiResult<DataOf<O>>> {
  let response: Response;
  try {
    response = await fetch(pathOf(operation, init.params as Record<string, string> | undefined), {
      method: operation.method,
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
      signal: init.signal,
    });
  } catch {
    return { ok: false, status: 0, code: "network_error", message: NETWORK_MESSAGE, details: [] };
  }

  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page or an empty body: fall through to the generic message.
  }

  if (response.ok && isObject(body) && "data" in body) {
    return { ok: true, status: response.status, data: body.data as DataOf<O>, ...(isObject(body.meta) ? { meta: body.meta as PageMeta } : {}) };
  }

  const error = isObject(body) && isObject(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : response.ok ? "internal_error" : `http_${response.status}`;
  const serverMessage = typeof error.message === "string" ? error.message : "";
  const details = Array.isArray(error.details)
    ? error.details.filter((d): d is ApiErrorDetail => isObject(d) && typeof d.path === "string" && typeof d.message === "string")
    : [];
  const message =
    code === "validation_error" ? serverMessage || "Some fields need attention." : FRIENDLY[code] ?? (serverMessage || FRIENDLY.internal_error!);
  const secondFactor = response.status === 403 && asksForSecondFactor(response.headers.get("www-authenticate"));
  return { ok: false, status: response.status, code, message: secondFactor ? serverMessage : message, details, ...(secondFactor ? { secondFactor } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A failed call as the dashboard shows it: the words, and whether to offer "Log in again". */
export type CallFailure = { message: string; login: boolean };

export const failureOf = (result: ApiFailure): CallFailure => ({ message: result.message, login: result.status === 401 });

/** Where to send someone whose session ended while on `pathname`. */
export function loginPathFor(pathname: string): string {
  return `/login?next=${encodeURIComponent(pathname)}`;
}
