import type { ReactNode } from "react";

/** A page's title row: heading, a line of description, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  eyebrow,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  eyebrow?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 space-y-1">
        {eyebrow ? <div className="text-sm text-neutral-500 dark:text-neutral-400">{eyebrow}</div> : null}
        <h1 className="text-2xl font-semibold tracking-tight wrap-anywhere text-neutral-900 dark:text-neutral-50">{title}</h1>
        {description ? <p className="max-w-2xl text-sm wrap-anywhere text-neutral-600 dark:text-neutral-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
