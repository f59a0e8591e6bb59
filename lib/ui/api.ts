// The dashboard's one way to call /api/v1 from the browser: same-origin fetch with
// the session cookie (the default `credentials: "same-origin"`), so the dashboard uses
// exactly the API that curl and the CLI use. The browser adds Origin to POST and
// DELETE by itself, which is what the API's CSRF check looks at.
//
// Pure client code: no server imports.

export type ApiErrorDetail = { path: string; message: string };
export type PageMeta = { page: number; per_page: number; total: number };

export type ApiSuccess<T> = { ok: true; status: number; data: T; meta?: PageMeta };
export type ApiFailure = {
  ok: false;
  /** 0 when the server could not be reached at all. */
  status: number;
  code: string;
  message: string;
  details: ApiErrorDetail[];
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

export async function callApi<T>(
  path: `/api/v1/${string}`,
  init: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal } = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
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
    return { ok: true, status: response.status, data: body.data as T, ...(isObject(body.meta) ? { meta: body.meta as PageMeta } : {}) };
  }

  const error = isObject(body) && isObject(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : response.ok ? "internal_error" : `http_${response.status}`;
  const serverMessage = typeof error.message === "string" ? error.message : "";
  const details = Array.isArray(error.details)
    ? error.details.filter((d): d is ApiErrorDetail => isObject(d) && typeof d.path === "string" && typeof d.message === "string")
    : [];
  const message =
    code === "validation_error" ? serverMessage || "Some fields need attention." : FRIENDLY[code] ?? (serverMessage || FRIENDLY.internal_error!);
  return { ok: false, status: response.status, code, message, details };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where to send someone whose session ended while on `pathname`. */
export function loginPathFor(pathname: string): string {
  return `/login?next=${encodeURIComponent(pathname)}`;
}
