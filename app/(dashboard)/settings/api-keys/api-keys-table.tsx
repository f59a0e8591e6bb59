"use client";

import Link from "next/link";

import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ACTIONS_COLUMN, Table, cellClasses } from "@/components/ui/table";
import type { Scope } from "@/lib/contract";
import { accessLabel, narrowingFor } from "@/lib/ui/api-key-scopes";
import { STATUS_BADGE } from "@/lib/ui/api-key-status";
import { mintedBySummary } from "@/lib/ui/minted-by";
import { limitsText } from "@/lib/ui/usage-limits";

import type { ApiKeyRow } from "./api-keys-manager";

const STATUS = STATUS_BADGE;

function Expires({ iso }: { iso: string | null }) {
  return iso ? <LocalTime iso={iso} format="date" /> : <span className="text-neutral-500 dark:text-neutral-400">Never</span>;
}

function LastUsed({ iso }: { iso: string | null }) {
  return iso ? <LocalTime iso={iso} format="relative" /> : <span className="text-neutral-500 dark:text-neutral-400">never</span>;
}

const td = cellClasses;

/**
 * The keys as a real table. On phones the date columns fold into a line under the
 * name, so the table fits 375 px without scrolling sideways. Under each name: the key's
 * access, and, for a key that used fewer scopes than it holds in the last 30 days, a
 * suggestion to narrow it, one click from doing so.
 */
export function ApiKeysTable({
  keys,
  onRevoke,
  onRoll,
  onNarrow,
  narrowing,
}: {
  keys: ApiKeyRow[];
  onRevoke: (key: ApiKeyRow) => void;
  onRoll: (key: ApiKeyRow) => void;
  onNarrow: (key: ApiKeyRow, scopes: Scope[]) => void;
  /** The id of the key being narrowed right now. */
  narrowing: string | null;
}) {
  return (
    <Table
      caption="Your API keys"
      className="w-full min-w-0 text-sm"
      columns={[
        { label: "Name" },
        { label: "Key", className: "hidden md:table-cell" },
        { label: "Created", className: "hidden lg:table-cell" },
        { label: "Last used", className: "hidden md:table-cell" },
        { label: "Expires", className: "hidden lg:table-cell" },
        { label: "Status" },
        { ...ACTIONS_COLUMN, className: "w-32" },
      ]}
    >
      {keys.map((key) => {
        const status = STATUS[key.status];
        const narrowTo = key.status === "active" ? narrowingFor(key) : null;
        return (
          <tr key={key.id} data-key-prefix={key.key_prefix} className={key.status === "active" ? undefined : "text-neutral-500 dark:text-neutral-400"}>
            <td className={td}>
              <div className="font-medium text-neutral-900 dark:text-neutral-100 wrap-anywhere">
                {/* The key's own page: its usage, last address, scopes used and events. */}
                <Link href={`/settings/api-keys/${key.id}`} className="underline-offset-4 hover:underline">
                  {key.name}
                </Link>
              </div>
              <div className="mt-0.5 text-xs text-neutral-600 dark:text-neutral-300 wrap-anywhere" data-testid="key-access">
                Access: {accessLabel(key.scopes)}
              </div>
              <div className="mt-0.5 text-xs text-neutral-600 dark:text-neutral-300 wrap-anywhere" data-testid="key-limits">
                Limits: {limitsText(key.effective_limits)}
                {key.effective_limits.source === "organization" ? " (organization default)" : ""}
              </div>
              <div className="mt-0.5 text-xs text-neutral-600 dark:text-neutral-300 wrap-anywhere" data-testid="key-holder">
                Held by {key.holderLabel}
              </div>
              {key.minted_by ? (
                <div className="mt-0.5 text-xs text-neutral-600 dark:text-neutral-300 wrap-anywhere" data-testid="key-minted-by">
                  Minted for a CI run: {mintedBySummary(key.minted_by)}
                </div>
              ) : null}
              {key.out_of_policy && key.status === "active" ? (
                <div className="mt-1.5 text-xs text-amber-950 dark:text-amber-100" data-testid="key-out-of-policy">
                  <Badge tone="amber">Out of policy</Badge> <span className="wrap-anywhere">{key.out_of_policy}.</span>
                </div>
              ) : null}
              {narrowTo ? (
                <div className="mt-1.5 rounded-md border border-amber-200 bg-amber-50 px-2.5 py-1.5 text-xs text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100">
                  <p className="wrap-anywhere">
                    In the last 30 days this key used only {narrowTo.join(", ")}. Narrow it to what it uses, so a leak can do less.
                  </p>
                  <Button
                    size="sm"
                    variant="secondary"
                    className="mt-1.5"
                    disabled={narrowing === key.id}
                    onClick={() => onNarrow(key, narrowTo)}
                    aria-label={`Narrow ${key.name} (${key.key_prefix}…) to ${narrowTo.join(", ")}`}
                  >
                    {narrowing === key.id ? "Narrowing…" : `Narrow to ${narrowTo.join(", ")}`}
                  </Button>
                </div>
              ) : null}
              {/* Phones and tablets: what the hidden columns say. */}
              <div className="mt-1 space-y-0.5 text-xs text-neutral-500 lg:hidden dark:text-neutral-400">
                <div className="md:hidden">
                  <code className="font-mono">{key.key_prefix}…</code>
                </div>
                <div>
                  Created <LocalTime iso={key.created_at} format="date" />
                  <span className="md:hidden">
                    {" · "}Last used <LastUsed iso={key.last_used_at} />
                  </span>
                </div>
                <div>
                  Expires <Expires iso={key.expires_at} />
                </div>
              </div>
            </td>
            <td className={`${td} hidden md:table-cell`}>
              <code className="rounded bg-neutral-100 px-1.5 py-0.5 font-mono text-xs text-neutral-800 dark:bg-neutral-800 dark:text-neutral-200">
                {key.key_prefix}…
              </code>
            </td>
            <td className={`${td} hidden whitespace-nowrap lg:table-cell`}>
              <LocalTime iso={key.created_at} format="date" />
            </td>
            <td className={`${td} hidden whitespace-nowrap md:table-cell`}>
              <LastUsed iso={key.last_used_at} />
            </td>
            <td className={`${td} hidden whitespace-nowrap lg:table-cell`}>
              <Expires iso={key.expires_at} />
            </td>
            <td className={td} data-testid="key-status">
              <Badge tone={key.revoked_reason === "leaked" ? "red" : status.tone}>{status.label}</Badge>
              {key.expiresInDays !== null ? (
                <Badge tone="amber" className="mt-1 whitespace-nowrap">
                  Expires in {key.expiresInDays} {key.expiresInDays === 1 ? "day" : "days"}
                </Badge>
              ) : null}
              {key.revoked_at && key.revoked_reason === "leaked" ? (
                <div className="mt-1 max-w-56 text-xs wrap-anywhere text-red-800 dark:text-red-300">
                  {key.exposed_url ? <>Revoked — found exposed at {key.exposed_url}</> : "Revoked — reported as exposed"}, <LocalTime iso={key.revoked_at} format="datetime" />
                </div>
              ) : key.revoked_at ? (
                <div className="mt-1 text-xs whitespace-nowrap">
                  <LocalTime iso={key.revoked_at} format="date" />
                </div>
              ) : key.status === "rolled" && key.expires_at ? (
                <div className="mt-1 text-xs">
                  Stops working <LocalTime iso={key.expires_at} format="datetime" />
                </div>
              ) : null}
            </td>
            <td className={`${td} text-right whitespace-nowrap`}>
              {key.status === "active" ? (
                <Button size="sm" variant="ghost" onClick={() => onRoll(key)} aria-label={`Roll ${key.name} (${key.key_prefix}…)`}>
                  Roll
                </Button>
              ) : null}
              {key.status === "revoked" || key.status === "expired" ? null : (
                <Button size="sm" variant="ghost-danger" onClick={() => onRevoke(key)} aria-label={`Revoke ${key.name} (${key.key_prefix}…)`}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
