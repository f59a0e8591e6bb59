import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";

import { followMailedLink } from "@/lib/auth/mailed-link";

// GET /auth/confirm — a link from a confirmation, reset or e-mail change mail: exchanges its
// token hash for a session (cookies set on this response) and goes on to the next page.
export async function GET(request: NextRequest) {
  const { to } = await followMailedLink(request.nextUrl.searchParams);
  redirect(to);
}
