// Who caused an audit event, and from where. Pure: lib/auth/request-actor.ts builds one
// from a request's principal; jobs (expiry mails, leak reports) use SYSTEM_ACTOR.

export type AuditActor =
  | { type: "session"; ip: string | null; userAgent: string | null }
  | { type: "api_key"; keyId: string; keyPrefix: string; ip: string | null; userAgent: string | null }
  | { type: "system"; ip: string | null; userAgent: string | null };

/** The platform itself: a cron job, a leak report from GitHub secret scanning, a public revocation. */
export const systemActor = (ip: string | null = null, userAgent: string | null = null): AuditActor => ({ type: "system", ip, userAgent });

/** The longest user agent kept; anything longer is cut (the column refuses more). */
export const USER_AGENT_MAX = 512;
export const clipUserAgent = (ua: string | null | undefined): string | null => (ua ? ua.slice(0, USER_AGENT_MAX) : null);
