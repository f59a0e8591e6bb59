import { DASHBOARD_HOME } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/safe-next-path";

/**
 * Where to go after logging in or signing up: the page that was asked for, when it is
 * a same-site path (safeNextPath), and never back to /login or /signup themselves,
 * which would bounce a signed-in visitor in a loop.
 */
export function afterAuthPath(value: string | string[] | undefined): string {
  const next = safeNextPath(value, DASHBOARD_HOME);
  const pathname = next.split(/[?#]/)[0] ?? "";
  return /^\/(?:login|signup)(?:\/|$)/.test(pathname) ? DASHBOARD_HOME : next;
}

/** A link to the other auth page that keeps `next`. */
export function withNext(path: "/login" | "/signup", next: string): string {
  return next === DASHBOARD_HOME ? path : `${path}?next=${encodeURIComponent(next)}`;
}
