// A request's User-Agent as the platform records it. Pure.

/** The longest user agent kept; anything longer is cut (the column refuses more). */
export const USER_AGENT_MAX = 512;

// C0 controls, DEL and C1 controls (U+0080–U+009F: Node reads header bytes as latin1, so a
// byte 0x9B arrives as the 8-bit CSI). A user agent is shown in the security log, served as
// JSON and printed by `tt`; none of them should be able to drive a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A request's user agent as it is recorded (audit events, a key's last user agent): control
 * characters removed, at most USER_AGENT_MAX characters; null when nothing is left.
 */
export const clipUserAgent = (ua: string | null | undefined): string | null => {
  const kept = ua?.replace(CONTROL, "").slice(0, USER_AGENT_MAX);
  return kept ? kept : null;
};
