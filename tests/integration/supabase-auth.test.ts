// Supabase Auth through the gateway, as the app and supabase-js use it: sign-up and
// sign-in give a session, and that session's JWT verifies locally from the JWKS.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { AUTH_ISSUER, PUBLISHABLE_KEY, SUPABASE_URL, anonClient, newUser } from "../support/stack";

const jwks = createRemoteJWKSet(new URL(`${SUPABASE_URL}/auth/v1/.well-known/jwks.json`));

describe("Supabase Auth via the gateway", () => {
  it("signs a new user up and returns a session for them", async () => {
    const { email, user, session } = await newUser("signup");
    expect(user.email).toBe(email);
    expect(session.access_token.split(".")).toHaveLength(3);
    expect(session.refresh_token).toBeTruthy();
    expect(session.user.id).toBe(user.id);
  });

  it("signs an existing user in with their password, and refuses a wrong one", async () => {
    const { email, password, user } = await newUser("signin");
    const client = anonClient();
    const ok = await client.auth.signInWithPassword({ email, password });
    expect(ok.error).toBeNull();
    expect(ok.data.session?.user.id).toBe(user.id);

    const bad = await client.auth.signInWithPassword({ email, password: `${password}-wrong` });
    expect(bad.data.session).toBeNull();
    expect(bad.error?.status).toBe(400);
    expect(bad.error?.code).toBe("invalid_credentials");
  });

  it("answers a second sign-up with a taken e-mail like a new one: no session, no error, no hint", async () => {
    const { email, user } = await newUser("taken");
    const again = await anonClient().auth.signUp({ email, password: "another-password" });
    expect(again.error).toBeNull();
    expect(again.data.session).toBeNull();
    // A made-up user: not the account's id, and the account's password is unchanged.
    expect(again.data.user?.id).not.toBe(user.id);
    expect((await anonClient().auth.signInWithPassword({ email, password: "another-password" })).error?.code).toBe("invalid_credentials");
  });

  it("issues ES256 access tokens that verify locally against the published JWKS", async () => {
    const { user, session } = await newUser("jwks");
    expect(decodeProtectedHeader(session.access_token)).toMatchObject({ alg: "ES256", typ: "JWT" });
    const { payload } = await jwtVerify(session.access_token, jwks, { issuer: AUTH_ISSUER, audience: "authenticated" });
    expect(payload.sub).toBe(user.id);
    expect(payload.role).toBe("authenticated");
    expect(payload.email).toBe(user.email);

    // One changed character in the payload must break the signature.
    const [h, p, s] = session.access_token.split(".");
    const forged = Buffer.from(p!, "base64url").toString().replace(user.id, "00000000-0000-4000-8000-000000000000");
    await expect(jwtVerify(`${h}.${Buffer.from(forged).toString("base64url")}.${s}`, jwks)).rejects.toThrow();
  });

  it("lets supabase-js getClaims() verify the session without asking the auth server per call", async () => {
    const { email, password, user } = await newUser("claims");
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const client = anonClient(recording);
    await client.auth.signInWithPassword({ email, password });
    urls.length = 0;
    const first = await client.auth.getClaims();
    const second = await client.auth.getClaims();
    expect(first.error).toBeNull();
    expect(first.data?.claims.sub).toBe(user.id);
    expect(second.data?.claims.sub).toBe(user.id);
    // The keys are fetched once; no call ever goes to /user (a per-request round trip).
    expect(urls.filter((u) => u.endsWith("/.well-known/jwks.json")).length).toBeLessThanOrEqual(1);
    expect(urls.some((u) => u.includes("/auth/v1/user"))).toBe(false);
  });

  it("refreshes a session and rejects the refresh token after sign-out", async () => {
    const { email, password } = await newUser("refresh");
    const client = anonClient();
    const signIn = await client.auth.signInWithPassword({ email, password });
    const refreshToken = signIn.data.session!.refresh_token;
    const refreshed = await client.auth.refreshSession({ refresh_token: refreshToken });
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session?.refresh_token).not.toBe(refreshToken);

    await client.auth.signOut();
    const after = await anonClient().auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
    expect(after.data.session).toBeNull();
    expect(after.error).not.toBeNull();
  });

  it("demands an API key at the gateway, as hosted Supabase does", async () => {
    const none = await fetch(`${SUPABASE_URL}/auth/v1/settings`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${SUPABASE_URL}/auth/v1/settings`, { headers: { apikey: "sb_publishable_not-a-real-key" } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${SUPABASE_URL}/auth/v1/settings`, { headers: { apikey: PUBLISHABLE_KEY } });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ mailer_autoconfirm: false, disable_signup: false });
  });
});
