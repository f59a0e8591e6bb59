import Link from "next/link";

import { LocalTime } from "@/components/local-time";
import type { AuditEvent } from "@/lib/contract";
import { actorText, detailsText, eventLabel } from "@/lib/ui/audit-event-text";

/**
 * Audit events, newest first, as a list (not a table: it reads the same at 375 px and to a
 * screen reader, one event per item). Server-rendered; only the times hydrate.
 */
export function AuditEventList({ events, linkKeys = true }: { events: AuditEvent[]; linkKeys?: boolean }) {
  return (
    <ol className="divide-y divide-neutral-200 rounded-xl border border-neutral-200 bg-white dark:divide-neutral-800 dark:border-neutral-800 dark:bg-neutral-900" data-testid="audit-events">
      {events.map((event) => {
        const details = detailsText(event);
        return (
          <li key={event.id} className="px-4 py-3 text-sm" data-event-type={event.type}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
              <p className="font-medium text-neutral-900 dark:text-neutral-100">
                {eventLabel(event)}
                {event.key ? (
                  <>
                    {" "}
                    {linkKeys ? (
                      <Link href={`/settings/api-keys/${event.key.id}`} className="font-mono font-normal underline underline-offset-4 hover:text-neutral-600 dark:hover:text-neutral-300">
                        {event.key.key_prefix}…
                      </Link>
                    ) : (
                      <code className="font-mono font-normal">{event.key.key_prefix}…</code>
                    )}
                  </>
                ) : null}
              </p>
              <LocalTime iso={event.occurred_at} className="text-xs text-neutral-600 dark:text-neutral-400" />
            </div>
            {details ? <p className="mt-0.5 wrap-anywhere text-neutral-700 dark:text-neutral-300">{details}</p> : null}
            <p className="mt-0.5 wrap-anywhere text-xs text-neutral-600 dark:text-neutral-400">
              {actorText(event)}
              {event.ip ? <> · from {event.ip}</> : null}
              {event.user_agent ? <> · {event.user_agent}</> : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
