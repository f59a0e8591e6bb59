import { redirect } from "next/navigation";

import { DASHBOARD_HOME } from "@/lib/auth/current-user";
import { requirePageSession } from "@/lib/auth/page-session";

// /dashboard is the conventional entry point; the specs list is the dashboard's home.
// It reads nothing, but asks like every dashboard page (the walk in
// tests/integration/dashboard-second-factor.test.ts holds every page to that).
export default async function DashboardPage() {
  await requirePageSession("/dashboard");
  redirect(DASHBOARD_HOME);
}
