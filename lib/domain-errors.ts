// What a domain service (lib/api-keys, lib/behavior-specs, …) throws when a request cannot
// be carried out for a reason of the domain: a thing that does not exist (or is not the
// caller's — the same answer on purpose). Services know nothing of HTTP; lib/api/envelope.ts
// maps these onto the API's error codes, and pages onto their own answers (notFound()).
// Pure: no imports.

export type DomainErrorKind = "not_found";

export class DomainError extends Error {
  readonly kind: DomainErrorKind;

  constructor(kind: DomainErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
DomainError.prototype.name = "DomainError";

/** Nothing with that id belongs to the caller. */
export const notFoundError = (message: string) => new DomainError("not_found", message);
