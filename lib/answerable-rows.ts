import { z } from "zod";

/**
 * A list's rows through its output schema, leaving out (and logging) any row the schema
 * cannot describe — which the database's CHECKs should make impossible, but one such row
 * must never turn a whole list into a 500 that hides the owner's other rows (and, for keys,
 * stops them revoking one). Logged with the request id and the row's id only: never a
 * column's value, which may be a secret's hash or a user's text.
 */
export function answerableRows<R extends { id: string }, O>(rows: readonly R[], toOutput: (row: R) => O, what: string, requestId?: string): O[] {
  const items: O[] = [];
  for (const row of rows) {
    try {
      items.push(toOutput(row));
    } catch (error) {
      const why = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") : String(error);
      console.error(`[${requestId ?? "page"}] ${what} ${row.id} left out of its owner's list: ${why}`);
    }
  }
  return items;
}
