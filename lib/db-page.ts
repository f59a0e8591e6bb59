import "server-only";

import type { Db } from "@/lib/db";

/**
 * One page of an organization's rows, newest first, with the total across all pages — in
 * one query (a window count), plus a count only when the page is past the last row.
 * Every list in the API is scoped by organization, so the organization is not optional here.
 */
export async function organizationPage<Row extends object>(
  db: Db,
  { table, columns, organizationId, page, perPage }: { table: string; columns: readonly string[]; organizationId: string; page: number; perPage: number },
): Promise<{ rows: Row[]; total: number }> {
  const offset = (page - 1) * perPage;
  const rows = await db<(Row & { total: number })[]>`
    select ${db(columns)}, count(*) over ()::int as total
    from ${db(table)}
    where organization_id = ${organizationId}
    order by created_at desc, id desc
    limit ${perPage} offset ${offset}`;
  if (rows[0] || offset === 0) return { rows, total: rows[0]?.total ?? 0 };
  const [count] = await db<{ total: number }[]>`select count(*)::int as total from ${db(table)} where organization_id = ${organizationId}`;
  return { rows, total: count?.total ?? 0 };
}
