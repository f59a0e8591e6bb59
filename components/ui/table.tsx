import type { ReactNode } from "react";

/** A body cell's classes; a column's own (`hidden md:table-cell`, …) go after them. */
export const cellClasses = "px-4 py-3 align-middle";

const headerCellClasses = "px-4 py-2.5 text-left text-xs font-medium tracking-wide text-neutral-500 uppercase dark:text-neutral-400";

/** A column heading; `srOnly`: named for screen readers only (the row's actions). */
export type TableColumn = { label: ReactNode; className?: string; srOnly?: boolean };

/** The column of a row's buttons, named for screen readers only. */
export const ACTIONS_COLUMN: TableColumn = { label: "Actions", srOnly: true };

/**
 * The dashboard's list table: a bordered box that scrolls sideways on a narrow screen, a
 * caption for screen readers, column headings with scope="col", and `children` as the rows.
 */
export function Table({ caption, columns, className = "w-full text-sm", children }: { caption: ReactNode; columns: readonly TableColumn[]; className?: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-neutral-200 dark:border-neutral-800">
      <table className={className}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 dark:border-neutral-800 dark:bg-neutral-900">
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.className ? `${headerCellClasses} ${column.className}` : headerCellClasses}>
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-200 dark:divide-neutral-800">{children}</tbody>
      </table>
    </div>
  );
}
