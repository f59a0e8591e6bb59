import { NextResponse, type NextRequest } from "next/server";

import { followMailedLink, readMailedLink } from "@/lib/account/mailed-link";
import { isSameOrigin } from "@/lib/auth/principal";
import { env } from "@/lib/env";

// POST /auth/confirm/accept — the button on /auth/confirm: exchanges the mailed link's token
// hash for a session (cookies set on this response), then on to the next page with a 303.
// Same origin only (Origin = APP_URL, or Fetch Metadata): another site's form must not be
// able to sign a visitor's browser into the account of a link it holds.
export async function POST(request: NextRequest) {
  if (!isSameOrigin(request)) {
    return NextResponse.json({ error: { code: "forbidden", message: "Open the link from your mail, then confirm on that page." } }, { status: 403 });
  }
  const form = await request.formData().catch(() => null);
  const { to } = await followMailedLink(form ? readMailedLink({ get: (name) => (typeof form.get(name) === "string" ? (form.get(name) as string) : null) }) : null);
  return NextResponse.redirect(new URL(to, env.APP_URL), 303);
}
