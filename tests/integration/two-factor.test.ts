// Two-factor sign-in and the API (issue 14): creating an API key — every key-minting
// operation — needs a session at aal2 once the user has a verified TOTP factor. Against the
// running app, the real Supabase Auth (or the compatible server) and Postgres; the codes are
// computed here from the enrolled secret for the current 30-second step.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SECOND_FACTOR_CHALLENGE } from "@/lib/contract";

import { api } from "../support/http";
import { sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";
import { aalOf, enrolTotp, passwordSession, unenrolTotp, verifyTotp, type MfaSession } from "../support/totp";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  user = await newUser("two-factor");
});

const createKey = (session: MfaSession | { access_token: string }, name: string) =>
  api("/api/v1/api-keys", { method: "POST", cookie: sessionCookie(session), origin: APP_URL, json: { name } });
const keysNamed = async (name: string) => Number((await sql`select count(*)::int as n from api_keys where user_id = ${user.user.id} and name = ${name}`)[0]!.n);

describe("creating an API key with two-factor sign-in", () => {
  let factor: { factorId: string; secret: string };
  let aal2: MfaSession;

  it("works at aal1 for a user without a factor", async () => {
    expect(aalOf(user.session.access_token)).toBe("aal1");
    const res = await createKey(user.session, "no factor yet");
    expect(res.status).toBe(201);
    expect(res.body.data.key).toMatch(/^tt_/);
  });

  it("works at aal1 while the factor is enrolled but not yet verified", async () => {
    factor = await enrolTotp(user.session.access_token);
    const res = await createKey(user.session, "unverified factor");
    expect(res.status).toBe(201);
  });

  it("verifying the first code raises the session to aal2", async () => {
    aal2 = await verifyTotp(user.session.access_token, factor.factorId, factor.secret);
    expect(aalOf(aal2.access_token)).toBe("aal2");
  });

  it("is refused at aal1 once the factor is verified: 403 forbidden, saying a second factor is needed, and no key", async () => {
    // A stolen password: a fresh sign-in is at aal1.
    const aal1 = await passwordSession(user.email, user.password);
    expect(aalOf(aal1.access_token)).toBe("aal1");
    const res = await createKey(aal1, "stolen password");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(res.body.error.message).toMatch(/second factor/i);
    expect(res.headers.get("www-authenticate")).toBe(SECOND_FACTOR_CHALLENGE);
    expect(JSON.stringify(res.body)).not.toMatch(/tt_/);
    expect(await keysNamed("stolen password")).toBe(0);
  });

  it("is refused too for the access token the session had before it passed the factor", async () => {
    const res = await createKey(user.session, "old aal1 token");
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(SECOND_FACTOR_CHALLENGE);
    expect(await keysNamed("old aal1 token")).toBe(0);
  });

  it("works at aal2", async () => {
    const res = await createKey(aal2, "after the code");
    expect(res.status).toBe(201);
    expect(await keysNamed("after the code")).toBe(1);
  });

  it("reading keys and specs at aal1 is not refused (only minting is)", async () => {
    const aal1 = await passwordSession(user.email, user.password);
    const res = await api("/api/v1/api-keys", { cookie: sessionCookie(aal1) });
    expect(res.status).toBe(200);
  });

  it("an API key still cannot create keys, whatever the session it came from", async () => {
    const key = (await createKey(aal2, "a key of the aal2 session")).body.data.key as string;
    const res = await api("/api/v1/api-keys", { method: "POST", key, json: { name: "minted by a key" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(await keysNamed("minted by a key")).toBe(0);
  });

  it("after the factor is removed (at aal2), aal1 creates keys again", async () => {
    const aal1 = await passwordSession(user.email, user.password);
    // Supabase Auth refuses to remove a verified factor from an aal1 session.
    expect(await unenrolTotp(aal1.access_token, factor.factorId)).toBe(422);
    expect(await unenrolTotp(aal2.access_token, factor.factorId)).toBe(200);
    const res = await createKey(aal1, "factor removed");
    expect(res.status).toBe(201);
  });
});
