/**
 * What a banned or deleted account's keys and sessions are told: 403 forbidden with this
 * message (docs/SECURITY.md). One wording, whichever check noticed.
 */
export const ACCOUNT_SUSPENDED = "This account is suspended";
