import { z } from "zod";

import { validationError } from "./errors";

const positiveInt = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: `${name} must be a whole number` })
    .transform(Number)
    .pipe(z.number().int().min(1, { message: `${name} must be at least 1` }).max(max, { message: `${name} must be at most ${max}` }));

export const paginationQuery = z.object({
  page: positiveInt("page", 1_000_000).optional().default(1),
  per_page: positiveInt("per_page", 100).optional().default(20),
});

export type Pagination = { page: number; perPage: number };

/** `?page=1&per_page=20`: page is 1-based, per_page 1–100 (default 20). */
export function parsePagination(searchParams: URLSearchParams): Pagination {
  const result = paginationQuery.safeParse({
    page: searchParams.get("page") ?? undefined,
    per_page: searchParams.get("per_page") ?? undefined,
  });
  if (!result.success) throw validationError(result.error, "Invalid query parameters", "query");
  return { page: result.data.page, perPage: result.data.per_page };
}
