import type { KeyUsage } from "@/lib/contract";
import { dayBars } from "@/lib/ui/usage-chart";

// A key's requests per day, successes, failures and refusals by a limit stacked, drawn as SVG on the server:
// no chart library and no client JavaScript at all (the CSP allows inline SVG as it is
// markup, not script). Each day's <title> is its values on hover; the table beside it
// carries the same numbers for keyboards and screen readers, so the drawing itself is
// hidden from them.

const W = 600;
const H = 160;
const PAD_TOP = 8;
const PAD_BOTTOM = 20;

export function UsageChart({ usage }: { usage: KeyUsage }) {
  const { bars, max } = dayBars(usage);
  const peak = Math.max(0, ...bars.map((b) => b.success + b.failed + b.limited));
  const step = W / bars.length;
  const barWidth = Math.max(2, step * 0.7);
  const scale = (n: number) => (n / max) * (H - PAD_TOP - PAD_BOTTOM);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
      <figure className="min-w-0">
        <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" aria-hidden="true" data-testid="usage-chart">
          <line x1={0} x2={W} y1={H - PAD_BOTTOM} y2={H - PAD_BOTTOM} className="stroke-neutral-300 dark:stroke-neutral-700" strokeWidth={1} />
          {bars.map((bar, i) => {
            const x = i * step + (step - barWidth) / 2;
            const ok = scale(bar.success);
            const failed = scale(bar.failed);
            const limited = scale(bar.limited);
            const base = H - PAD_BOTTOM;
            return (
              <g key={bar.start} data-day={bar.day} data-success={bar.success} data-failed={bar.failed} data-limited={bar.limited}>
                <title>{`${bar.label}: ${bar.success} succeeded, ${bar.failed} failed, ${bar.limited} limited`}</title>
                {/* the whole column answers hover, not only the (maybe 0-high) bars */}
                <rect x={i * step} y={0} width={step} height={H - PAD_BOTTOM} className="fill-transparent hover:fill-neutral-200/50 dark:hover:fill-neutral-800/50" />
                <rect x={x} y={base - ok} width={barWidth} height={ok} className="fill-emerald-600 dark:fill-emerald-500" />
                <rect x={x} y={base - ok - failed} width={barWidth} height={failed} className="fill-red-600 dark:fill-red-500" />
                <rect x={x} y={base - ok - failed - limited} width={barWidth} height={limited} className="fill-amber-500 dark:fill-amber-400" />
              </g>
            );
          })}
          <text x={0} y={H - 4} className="fill-neutral-600 text-[10px] dark:fill-neutral-400">{bars[0]?.label}</text>
          <text x={W} y={H - 4} textAnchor="end" className="fill-neutral-600 text-[10px] dark:fill-neutral-400">{bars.at(-1)?.label}</text>
        </svg>
        <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-neutral-600 dark:text-neutral-400">
          <span className="inline-flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-emerald-600" /> Succeeded (2xx)</span>
          <span className="inline-flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-red-600" /> Failed (4xx, 5xx, refused)</span>
          <span className="inline-flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-amber-500" /> Limited (429 by a rate limit or quota)</span>
          <span>Busiest day: {peak} requests</span>
        </figcaption>
      </figure>
      <div className="max-h-72 overflow-y-auto rounded-lg border border-neutral-200 dark:border-neutral-800" tabIndex={0} role="region" aria-label="Requests per day, as a table">
        <table className="w-full text-sm" data-testid="usage-table">
          <caption className="sr-only">Requests per day over the last {usage.days} days (UTC)</caption>
          <thead className="sticky top-0 bg-neutral-50 text-left text-xs text-neutral-600 dark:bg-neutral-900 dark:text-neutral-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Day</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Succeeded</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Failed</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Limited</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
            {[...bars].reverse().map((bar) => (
              <tr key={bar.start} data-day={bar.day}>
                <th scope="row" className="px-3 py-1.5 text-left font-normal text-neutral-700 dark:text-neutral-300">{bar.label}</th>
                <td className="px-3 py-1.5 text-right tabular-nums">{bar.success}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{bar.failed}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{bar.limited}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
