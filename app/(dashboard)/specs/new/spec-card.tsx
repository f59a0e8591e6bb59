import type { ReactNode } from "react";

/** One titled section of the spec form. */
export function SpecCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-neutral-200 dark:border-neutral-800">
      <div className="border-b border-neutral-200 px-5 py-4 dark:border-neutral-800">
        <h2 className="text-base font-semibold">{title}</h2>
        {description ? <p className="mt-0.5 text-sm text-neutral-600 dark:text-neutral-400">{description}</p> : null}
      </div>
      <div className="space-y-5 p-5">{children}</div>
    </section>
  );
}
