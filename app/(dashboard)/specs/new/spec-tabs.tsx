import type { KeyboardEvent } from "react";

import { cx } from "@/lib/ui/cx";

export type Tab = "form" | "json";

const tabClass = (selected: boolean) =>
  cx(
    "-mb-px border-b-2 px-1 pb-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2",
    selected
      ? "border-neutral-900 text-neutral-900 dark:border-neutral-100 dark:text-neutral-100"
      : "border-transparent text-neutral-500 hover:text-neutral-800 dark:text-neutral-400 dark:hover:text-neutral-200",
  );

/** "Form" and "Paste JSON", an ARIA tablist (arrow keys, Home and End move between them). */
export function SpecTabs({ tab, select }: { tab: Tab; select: (tab: Tab) => void }) {
  function onKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const next: Tab = event.key === "Home" ? "form" : event.key === "End" ? "json" : tab === "form" ? "json" : "form";
    select(next);
    document.getElementById(`tab-${next}`)?.focus();
  }
  return (
    <div role="tablist" aria-label="How to enter the spec" className="flex gap-6 border-b border-neutral-200 dark:border-neutral-800">
      <button type="button" role="tab" id="tab-form" aria-selected={tab === "form"} aria-controls="panel-form" tabIndex={tab === "form" ? 0 : -1} onClick={() => select("form")} onKeyDown={onKey} className={tabClass(tab === "form")}>
        Form
      </button>
      <button type="button" role="tab" id="tab-json" aria-selected={tab === "json"} aria-controls="panel-json" tabIndex={tab === "json" ? 0 : -1} onClick={() => select("json")} onKeyDown={onKey} className={tabClass(tab === "json")}>
        Paste JSON
      </button>
    </div>
  );
}
