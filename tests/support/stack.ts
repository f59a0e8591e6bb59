// What the integration and browser tests need to reach the running stack and app.
// The values come from the same module the stack scripts use, so they cannot drift.
import { randomBytes, randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import * as stack from "../../scripts/stack/config.ts";

export const SUPABASE_URL: string = stack.SUPABASE_URL;
export const PUBLISHABLE_KEY: string = stack.PUBLISHABLE_KEY;
export const SECRET_KEY: string = stack.SECRET_KEY;
export const DATABASE_URL: string = process.env.DATABASE_URL ?? stack.DATABASE_URL;
export const AUTH_ISSUER: string = stack.AUTH_EXTERNAL_URL;
export const DEMO_EMAIL: string = stack.DEMO_EMAIL;
export const DEMO_PASSWORD: string = stack.DEMO_PASSWORD;
export const APP_URL: string = process.env.TT_APP_URL ?? "http://localhost:3100";
/**
 * The scheduled jobs' secret: the one the app under test was started with (scripts/test.ts
 * passes it down), else a fresh one for the instances a test starts itself. `next start`
 * refuses the public local default (lib/env-schema.ts).
 */
export const CRON_SECRET: string = process.env.CRON_SECRET || randomBytes(32).toString("hex");

/** A Supabase client as a browser-less caller uses it: no storage, no background refresh. */
export function anonClient(fetchImpl?: typeof fetch) {
  return createClient(SUPABASE_URL, PUBLISHABLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(fetchImpl ? { global: { fetch: fetchImpl } } : {}),
  });
}

export function adminClient() {
  return createClient(SUPABASE_URL, SECRET_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
}

/** A fresh address per test run, so tests never depend on each other's users. */
export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@test.tunedtensor.local`;

/**
 * A new user with a confirmed address (the admin API, as the stack makes the demo user:
 * sign-up itself now waits for a mailed confirmation), signed in with their password.
 */
export async function newUser(label: string) {
  const email = uniqueEmail(label);
  const password = `pw-${randomUUID()}`;
  const created = await adminClient().auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error) throw new Error(`creating a user failed: ${created.error.message}`);
  const { data, error } = await anonClient().auth.signInWithPassword({ email, password });
  if (error || !data.session || !data.user) throw new Error(`signing in failed: ${error?.message ?? "no session"}`);
  return { email, password, user: data.user, session: data.session };
}
