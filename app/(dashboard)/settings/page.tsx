import { redirect } from "next/navigation";

import { requirePageSession } from "@/lib/auth/page-session";

// Settings opens on its API keys. It reads nothing, but asks like every dashboard page.
export default async function SettingsPage() {
  await requirePageSession("/settings");
  redirect("/settings/api-keys");
}
