import { redirect } from "next/navigation";

import { DASHBOARD_HOME } from "@/lib/auth/current-user";

// /dashboard is the conventional entry point; the specs list is the dashboard's home.
export default function DashboardPage() {
  redirect(DASHBOARD_HOME);
}
