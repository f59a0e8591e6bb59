// Who caused an audit event, and from where. Pure: lib/auth/request-actor.ts builds one
// from a request's principal; jobs (expiry mails, leak reports) use SYSTEM_ACTOR.

export type AuditActor =
  | { type: "session"; ip: string | null; userAgent: string | null }
  | { type: "api_key"; keyId: string; keyPrefix: string; ip: string | null; userAgent: string | null }
  | { type: "system"; ip: string | null; userAgent: string | null }
  // `tt auth login` handing over the key a session approved (its poll's address): the
  // approval itself is the session's own event, cli_login.approved.
  | { type: "cli_login"; ip: string | null; userAgent: string | null };

/** The platform itself: a cron job, a leak report from GitHub secret scanning, a public revocation. */
export const systemActor = (ip: string | null = null, userAgent: string | null = null): AuditActor => ({ type: "system", ip, userAgent });
