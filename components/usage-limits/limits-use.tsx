import { LocalTime } from "@/components/local-time";
import { Table, cellClasses } from "@/components/ui/table";
import type { LimitUsage } from "@/lib/contract/usage-limits";
import { limitUseRows } from "@/lib/ui/usage-limits";

/**
 * Each limit's use in its current window and when it refills: a table (read by screen
 * readers as one), each row's bar drawn beside its numbers and hidden from them.
 */
export function LimitsUse({ limits }: { limits: readonly LimitUsage[] }) {
  return (
    <Table caption="Use of each limit in its current window" columns={[{ label: "Limit" }, { label: "Used" }, { label: "Refills" }]}>
      {limitUseRows(limits).map((row) => (
        <tr key={row.key} data-testid={`limit-use-${row.key}`}>
          <th scope="row" className={`${cellClasses} text-left font-normal`}>
            {row.label}
          </th>
          <td className={cellClasses}>
            <span className="tabular-nums">
              {row.used.toLocaleString("en-US")} of {row.limit.toLocaleString("en-US")} ({row.percent} %)
            </span>
            <span aria-hidden="true" className="mt-1 block h-1.5 w-full max-w-40 overflow-hidden rounded-full bg-neutral-200 dark:bg-neutral-800">
              <span
                className={`block h-full ${row.percent >= 100 ? "bg-red-600" : row.percent >= 80 ? "bg-amber-500" : "bg-emerald-600"}`}
                style={{ width: `${row.percent}%` }}
              />
            </span>
          </td>
          <td className={cellClasses}>
            <LocalTime iso={row.resetsAt} format="relative" />
          </td>
        </tr>
      ))}
    </Table>
  );
}
