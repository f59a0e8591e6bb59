// What a domain service (lib/api-keys, lib/behavior-specs, …) throws when a request cannot
// be carried out for a reason of the domain: a thing that does not exist (or is not the
// caller's — the same answer on purpose), or a change the domain's rules refuse (a key's
// scopes widened). Services know nothing of HTTP; lib/api/envelope.ts maps these onto the
// API's error codes of the same name, and pages onto their own answers (notFound()).
// Pure: no imports.

export type DomainErrorKind =
  | "not_found"
  | "validation_error"
  | "conflict"
  // The caller's role or the organization's policy does not allow it (an admin changing an owner).
  | "forbidden"
  // The device flow's answers to a poll (RFC 8628 §3.5), by their RFC names.
  | "authorization_pending"
  | "slow_down"
  | "expired_token"
  | "access_denied"
  | "invalid_grant";
/** The field a refusal is about, and why (the API's `details`). */
export type DomainErrorDetail = { path: string; message: string };

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly details?: DomainErrorDetail[];

  constructor(kind: DomainErrorKind, message: string, details?: DomainErrorDetail[]) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}
DomainError.prototype.name = "DomainError";

/** Nothing with that id belongs to the caller. */
export const notFoundError = (message: string) => new DomainError("not_found", message);

/** The request is well-formed but the domain's rules refuse it (e.g. widening a key's scopes). */
export const refusedChange = (message: string, details?: DomainErrorDetail[]) => new DomainError("validation_error", message, details);

/** The thing exists, but its state refuses the change (a key already rolled, revoked or expired). */
export const forbiddenError = (message: string) => new DomainError("forbidden", message);

export const conflictError = (message: string) => new DomainError("conflict", message);
