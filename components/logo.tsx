import { cx } from "@/lib/ui/cx";

/** The wordmark: an inline SVG mark (no image request) and the name. */
export function Logo({ className, compact = false }: { className?: string; compact?: boolean }) {
  return (
    <span className={cx("inline-flex items-center gap-2 font-semibold tracking-tight text-neutral-900 dark:text-neutral-50", className)}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6 shrink-0">
        <rect width="24" height="24" rx="6" className="fill-neutral-900 dark:fill-white" />
        <g className="fill-white dark:fill-neutral-900">
          <rect x="6" y="6" width="3" height="3" rx="0.75" />
          <rect x="10.5" y="6" width="3" height="3" rx="0.75" opacity="0.6" />
          <rect x="15" y="6" width="3" height="3" rx="0.75" opacity="0.35" />
          <rect x="10.5" y="10.5" width="3" height="3" rx="0.75" />
          <rect x="10.5" y="15" width="3" height="3" rx="0.75" />
        </g>
      </svg>
      {compact ? <span className="sr-only">Tuned Tensor</span> : <span>Tuned Tensor</span>}
    </span>
  );
}
