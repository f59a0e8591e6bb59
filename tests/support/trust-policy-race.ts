// The kill switch under load (issue 29's proof): clients hammer a key minted by token
// exchange while an owner deletes (or disables) the trust policy that minted it, and every
// request that started after the change's answer arrived is refused (403), on every target.
// The key lookup joins the policy, and the change commits, waits T, then answers
// (lib/oidc/trust-policies.ts). The app must accept the loopback issuer
// (OIDC_ALLOW_LOOPBACK_ISSUERS=1: scripts/test.ts and scripts/test-scale.ts set it).
import { afterAll, expect } from "vitest";

import { ORGANIZATION_HEADER, TOKEN_EXCHANGE_GRANT } from "../../lib/contract";
import { raceChange } from "./key-cache";
import { check, type RaceSetup } from "./key-change-races";
import { gitHubClaims, startOidcIssuer, type OidcIssuer } from "./oidc-issuer";
import { createOrganization, uniqueSlug } from "./organizations";
import { sessionCookie } from "./session";
import { APP_URL, newUser } from "./stack";

type Answer = { status: number; body: Record<string, unknown> & { data?: Record<string, unknown>; error?: unknown } };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

let issuer: Promise<OidcIssuer> | undefined;
afterAll(async () => (await issuer)?.stop());

/**
 * An organization with a service account, a GitHub trust policy naming the local issuer, and
 * a key minted for a job of it through POST /api/v1/oauth/token.
 */
async function mintedKey(label: string) {
  const oidc = await (issuer ??= startOidcIssuer());
  const owner = await newUser(`${label}-owner`);
  const org = await createOrganization(owner.session, uniqueSlug(label));
  const asOwner = (method: string, url: string, body?: unknown) =>
    send(url, {
      method,
      headers: { cookie: sessionCookie(owner.session), [ORGANIZATION_HEADER]: org.slug as string, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const account = await asOwner("POST", `${APP_URL}/api/v1/organization/service-accounts`, { name: "raced CI", role: "developer" });
  expect(account.status, JSON.stringify(account.body.error)).toBe(201);
  // A repository id of this race's own, so that no other policy on the issuer matches its tokens.
  const repositoryId = String(100_000 + Math.floor(Math.random() * 1_000_000_000));
  const policy = await asOwner("POST", `${APP_URL}/api/v1/organization/service-accounts/${account.body.data!.id as string}/trust-policies`, {
    name: "raced policy",
    provider: "github",
    issuer: oidc.url,
    audience: "tuned-tensor-race",
    conditions: { repository_id: repositoryId, repository_owner_id: "65" },
    scopes: ["specs:read"],
  });
  expect(policy.status, JSON.stringify(policy.body.error)).toBe(201);
  const token = await oidc.sign(gitHubClaims(oidc.url, "tuned-tensor-race", { repository_id: repositoryId }));
  const minted = await send(`${APP_URL}/api/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" }).toString(),
  });
  expect(minted.status, JSON.stringify(minted.body)).toBe(200);
  return { asOwner, policyId: policy.body.data!.id as string, key: minted.body.access_token as string };
}

/** DELETE (or PATCH enabled: false) on the trust policy: its minted key refused (403) from the moment it returns. */
export async function trustPolicyOffRace(setup: RaceSetup, how: "deleted" | "disabled"): Promise<void> {
  const { asOwner, policyId, key } = await mintedKey(`race-trust-${how}`);
  const race = await raceChange({
    ...setup,
    path: "/api/v1/behavior-specs",
    headers: { authorization: `Bearer ${key}` },
    change: async () => {
      const url = `${setup.changeVia}/api/v1/organization/trust-policies/${policyId}`;
      const res = how === "deleted" ? await asOwner("DELETE", url) : await asOwner("PATCH", url, { enabled: false });
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    },
  });
  check(`trust policy ${how} race (a key it minted)`, race, setup, 403);
}
