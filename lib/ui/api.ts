// The dashboard's one way to call /api/v1 from the browser: the SDK (sdk/), same-origin with
// the session cookie (`credentials: "same-origin"`), so the dashboard uses exactly the API
// and the client that scripts and the CLI use. The browser adds Origin to POST and DELETE by
// itself, which is what the API's CSRF check looks at.
//
// Every call names its operation of the contract by its operationId: the SDK takes the method
// and path from its table, and types the body and the answer from the contract, so renaming a
// field breaks the build here. What this file adds is the dashboard's words for a failure.
// Pure client code: no server imports.

import {
  ApiError,
  createClient,
  NetworkError,
  OPERATIONS,
  ORGANIZATION_HEADER,
  UnexpectedResponseError,
  type CallArgs,
  type ErrorDetail,
  type OperationId,
  type OperationTypes,
  type Page,
  type PageMeta,
} from "@/sdk/src/index.ts";

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

/** What `data` holds in the answer: one page's items, or the one value. */
export type DataOf<K extends OperationId> = OperationTypes[K]["envelope"] extends "page" ? OperationTypes[K]["data"][] : OperationTypes[K]["data"];

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

// The page's own origin, its cookie, nothing cached; a person waits at most a few seconds
// before a retry of an idempotent call (a revoke) is given up.
const api = createClient({ credentials: "same-origin", cache: "no-store", retry: { maxDelayMs: 5_000 } });

/**
 * The organization the page shows (the dashboard layout's `<meta name="tt-organization">`),
 * read when the call is made: each tab acts in the organization it shows, whatever another
 * tab switched to since.
 */
export const ORGANIZATION_META = "tt-organization";
function pageOrganization(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLMetaElement>(`meta[name="${ORGANIZATION_META}"]`)?.content || undefined;
}

export async function callApi<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<ApiResult<DataOf<K>>> {
  const organization = pageOrganization();
  if (organization) {
    const init = (args[0] ?? {}) as { headers?: Record<string, string> };
    args = [{ ...init, headers: { ...init.headers, [ORGANIZATION_HEADER]: organization } }] as unknown as CallArgs<K>;
  }
  try {
    const answer = await api.request(id, ...args);
    if (OPERATIONS[id].envelope === "page") {
      const page = answer.result as Page<unknown>;
      return { ok: true, status: answer.status, data: page.data as DataOf<K>, meta: page.meta };
    }
    return { ok: true, status: answer.status, data: answer.result as DataOf<K> };
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, status: 0, code: "network_error", message: NETWORK_MESSAGE, details: [] };
    // A proxy's error page, an answer without the envelope: no words for people in it.
    if (error instanceof UnexpectedResponseError) return { ok: false, status: error.status, code: "internal_error", message: FRIENDLY.internal_error!, details: [] };
    if (!(error instanceof ApiError)) throw error;
    // The step-up challenge's own message says what to do (enter the code); keep it.
    if (error.status === 403 && error.secondFactorRequired) {
      return { ok: false, status: error.status, code: error.code, message: error.message, details: error.details, secondFactor: true };
    }
    // A refusal that names fields (an organization's policy on a new key's expiry or scopes)
    // says what to change: keep the API's words, as for a validation error.
    const specific = error.code === "validation_error" || (error.code === "forbidden" && error.details.length > 0);
    const message = specific ? error.message || "Some fields need attention." : FRIENDLY[error.code] ?? (error.message || FRIENDLY.internal_error!);
    return { ok: false, status: error.status, code: error.code, message, details: error.details };
  }
}

/** A failed call as the dashboard shows it: the words, and whether to offer "Log in again". */
export type CallFailure = { message: string; login: boolean };

export const failureOf = (result: ApiFailure): CallFailure => ({ message: result.message, login: result.status === 401 });

/** Where to send someone whose session ended while on `pathname`. */
export function loginPathFor(pathname: string): string {
  return `/login?next=${encodeURIComponent(pathname)}`;
}
