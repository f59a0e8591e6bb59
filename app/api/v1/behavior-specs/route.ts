import { readJsonBody } from "@/lib/api/body";
import { ok, page } from "@/lib/api/envelope";
import { parsePagination } from "@/lib/api/pagination";
import { methodNotAllowed, withAuth } from "@/lib/api/with-auth";
import { createBehaviorSpecInput } from "@/lib/behavior-specs/schema";
import { createBehaviorSpec, listBehaviorSpecs } from "@/lib/behavior-specs/service";
import { db } from "@/lib/db";

// GET /api/v1/behavior-specs — list the caller's specs, newest first
export const GET = withAuth(async (_request, { principal, searchParams }) => {
  const { page: pageNo, perPage } = parsePagination(searchParams);
  const { items, total } = await listBehaviorSpecs(db, { userId: principal.userId, page: pageNo, perPage });
  return page(items, { page: pageNo, per_page: perPage, total });
});

// POST /api/v1/behavior-specs — create a spec
export const POST = withAuth(async (request, { principal }) => {
  const input = await readJsonBody(request, createBehaviorSpecInput);
  return ok(await createBehaviorSpec(db, { userId: principal.userId, ...input }), { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(["GET", "POST"]);
