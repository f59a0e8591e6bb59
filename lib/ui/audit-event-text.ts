import { AUDIT_EVENT_LABELS, type AuditEvent } from "@/lib/contract/activity";
import type { UsageLimits } from "@/lib/contract/usage-limits";

import { limitsText } from "./usage-limits";

// The dashboard's words for an audit event: who did it and what changed. Pure.

/** "You (signed in)", "Key tt_AbCdEfGh…", "tt auth login", "Tuned Tensor". */
export function actorText(event: Pick<AuditEvent, "actor">): string {
  if (event.actor.type === "session") return "You (signed in)";
  if (event.actor.type === "cli_login") return "tt auth login";
  if (event.actor.type === "api_key") return `Key ${event.actor.key?.key_prefix ?? "?"}…`;
  return "Tuned Tensor";
}

const BY: Record<string, string> = {
  owner: "by you",
  key: "with an API key",
  leak_report: "after a leak report",
  public_revocation: "by a public revocation request",
};

const SIGN_IN: Record<string, string> = {
  password: "with a password",
  "link:signup": "from a confirmation link",
  "link:recovery": "from a password reset link",
  "link:email_change": "from an e-mail change link",
};

const SIGN_OUT: Record<string, string> = {
  local: "this browser",
  others: "every other session",
  global: "everywhere",
};

const list = (value: unknown) => (Array.isArray(value) ? value.join(", ") : String(value));

/** A limits value as an event recorded it (null: none, or the organization's default for a key). */
const limitsOf = (value: unknown, none: string) => (value && typeof value === "object" ? limitsText(value as UsageLimits) : none);

/** One line saying what changed, e.g. "CI → Deploy", "revoked after a leak report". */
export function detailsText(event: Pick<AuditEvent, "type" | "details">): string {
  const d = event.details;
  switch (event.type) {
    case "key.created":
      return `“${String(d.name ?? "")}”, ${list(d.scopes ?? [])}${d.via === "device_flow" ? ", through tt auth login (approved in a browser)" : ""}`;
    case "key.renamed":
      return `“${String(d.from)}” → “${String(d.to)}”`;
    case "key.narrowed":
      return `${list(d.from)} → ${list(d.to)}`;
    case "key.revoked":
      return BY[String(d.by)] ?? "";
    case "key.rolled":
      return d.new_key_prefix ? `replaced by ${String(d.new_key_prefix)}…` : "";
    case "key.expiry_mail_sent":
      return d.expires_at ? `expires ${String(d.expires_at).slice(0, 10)}` : "";
    case "auth.signed_in":
      return SIGN_IN[String(d.method)] ?? "";
    case "auth.signed_out":
      return SIGN_OUT[String(d.scope)] ?? "";
    case "cli_login.approved":
    case "cli_login.denied":
      return `${String(d.hostname ?? "")} (${String(d.os ?? "")}, tt ${String(d.version ?? "")}), ${list(d.scopes ?? [])}`;
    case "key.limits_changed":
      return `${limitsOf(d.from, "organization default")} → ${limitsOf(d.to, "organization default")}`;
    case "service_account.limits_changed":
      return `“${String(d.name ?? "")}”: ${limitsOf(d.from, "No limits")} → ${limitsOf(d.to, "No limits")}`;
    case "quota.warning":
    case "quota.exhausted":
      return `${d.threshold === 100 ? "all" : `${String(d.threshold)} %`} of ${Number(d.limit).toLocaleString("en-US")} a ${String(d.per)}${
        d.subject === "service_account" ? " (the service account's quota)" : ""
      }; refills ${String(d.resets_at ?? "").slice(0, 10)}`;
    case "mfa.enrolled":
    case "mfa.removed":
      return d.factor_type === "totp" ? "authenticator app" : "";
    default:
      return "";
  }
}

export const eventLabel = (event: Pick<AuditEvent, "type">) => AUDIT_EVENT_LABELS[event.type];
