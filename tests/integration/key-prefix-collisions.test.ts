// Two real keys of different users forced to share their first characters (the second
// key's row inserted by SQL, hashed as the app hashes keys, with the first's key_prefix):
// each authenticates as its own user, on the same instance within the verification cache's
// window, whichever is asked first; revoking one leaves the other working.
import { createHash } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { keyPrefix, parseApiKey } from "@/lib/api-keys/key-format";
import { SCOPES } from "@/lib/contract";

import { api } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { twinOf } from "../support/key-twins";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
let alice: User;
let bob: User;
beforeAll(async () => {
  [alice, bob] = await Promise.all([newUser("twin-alice"), newUser("twin-bob")]);
});

/** Bob's key, `shared` random characters in common with `key`, stored as the API stores keys. */
async function plantTwin(key: string, shared: number, owner: User) {
  const twin = twinOf(key, shared);
  expect(parseApiKey(twin)).not.toBeNull();
  expect(keyPrefix(twin)).toBe(keyPrefix(key));
  const [row] = await sql<{ id: string }[]>`
    insert into public.api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes)
    values ((select id from public.organizations where personal_for = ${owner.user.id}), ${owner.user.id}, 'twin', ${keyPrefix(twin)}, ${createHash("sha256").update(twin, "utf8").digest()}, ${[...SCOPES]}::text[])
    returning id`;
  return { key: twin, id: row!.id };
}

const whoIs = async (key: string) => {
  const res = await api("/api/v1/me", { key });
  return res.status === 200 ? (res.body.data.user.id as string) : res.status;
};

describe("two keys sharing their first characters", () => {
  for (const shared of [8, 42]) {
    it(`sharing ${shared} random characters: each is its own user's, in any order; revoking one leaves the other`, async () => {
      const a = await createApiKey(alice.session, `twin source ${shared}`);
      const b = await plantTwin(a.key, shared, bob);
      // Interleaved, inside the cache's window: each answer from its own row.
      for (const key of [a.key, b.key, b.key, a.key, a.key, b.key]) expect(await whoIs(key)).toBe(key === a.key ? alice.user.id : bob.user.id);
      const keys = (await api("/api/v1/me", { key: b.key })).body.data.authentication;
      expect(keys).toMatchObject({ key_id: b.id, key_prefix: keyPrefix(a.key) });

      // Bob revokes his: refused at once; Alice's still works (and the other way round below).
      expect((await api(`/api/v1/api-keys/${b.id}`, { method: "DELETE", cookie: sessionCookie(bob.session), origin: APP_URL })).status).toBe(200);
      expect(await whoIs(b.key)).toBe(403);
      expect(await whoIs(a.key)).toBe(alice.user.id);

      const c = await plantTwin(a.key, shared, bob);
      expect(await whoIs(c.key)).toBe(bob.user.id);
      expect((await api(`/api/v1/api-keys/${a.id}`, { method: "DELETE", key: a.key })).status).toBe(200);
      expect(await whoIs(a.key)).toBe(403);
      expect(await whoIs(c.key)).toBe(bob.user.id);
    });
  }
});
