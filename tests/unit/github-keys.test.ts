// GitHub's secret scanning keys (lib/leaks/github-keys.ts) with an injected clock and fetch:
// only identifiers of GitHub's shape are looked for, an unknown one fetches at most once per
// back-off window, and a configured token is sent.
import { generateKeyPairSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import { DEFAULT_REFETCH_MS, gitHubKeys } from "../../lib/leaks/github-keys";

const pem = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
const A = "a".repeat(64);
const B = "0123456789abcdef".repeat(4);
const MINUTE = 60_000;

function stubGitHub(published: Record<string, string>, { fail = false } = {}) {
  const calls: { at: number; headers: Record<string, string> }[] = [];
  let clock = 1_000_000;
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    calls.push({ at: clock, headers: { ...(init.headers as Record<string, string>) } });
    if (fail) return new Response("rate limited", { status: 403 });
    return Response.json({ public_keys: Object.entries(published).map(([key_identifier, key]) => ({ key_identifier, key, is_current: true })) });
  }) as typeof fetch;
  return { calls, fetchImpl, now: () => clock, advance: (ms: number) => (clock += ms) };
}

describe("gitHubKeys", () => {
  it("fetches for nothing but a 64-character hex identifier", async () => {
    const gh = stubGitHub({ [A]: pem() });
    const keys = gitHubKeys({ url: "https://github.test/keys", fetch: gh.fetchImpl, now: gh.now });
    for (const id of ["", "abc", "a".repeat(63), "a".repeat(65), "g".repeat(64), `${"a".repeat(63)} `, `${"a".repeat(32)}\n${"a".repeat(31)}`, "../".repeat(21) + "a", "é".repeat(64)]) {
      expect(await keys.keyFor(id), JSON.stringify(id)).toBeUndefined();
    }
    expect(gh.calls).toHaveLength(0);
    expect(await keys.keyFor(A)).toBeDefined();
    expect(gh.calls).toHaveLength(1);
  });

  it(`an unknown identifier fetches at most once per back-off window (a minute by default), known ones never`, async () => {
    expect(DEFAULT_REFETCH_MS).toBe(MINUTE);
    const published: Record<string, string> = { [A]: pem() };
    const gh = stubGitHub(published);
    const keys = gitHubKeys({ url: "https://github.test/keys", fetch: gh.fetchImpl, now: gh.now });
    expect(await keys.keyFor(A)).toBeDefined();
    expect(gh.calls).toHaveLength(1);
    // A flood of made-up (well-formed) identifiers through the next minute: no fetch.
    for (let i = 0; i < 600; i++) {
      expect(await keys.keyFor(i.toString(16).padStart(64, "f"))).toBeUndefined();
      gh.advance(99);
    }
    expect(gh.calls).toHaveLength(1);
    gh.advance(MINUTE - 600 * 99 - 1); // one millisecond short of the minute
    expect(await keys.keyFor(B)).toBeUndefined();
    expect(gh.calls).toHaveLength(1);
    // GitHub rotated its keys: the first unknown identifier after the minute fetches, once.
    published[B] = pem();
    gh.advance(1);
    expect(await keys.keyFor(B)).toBeDefined();
    expect(gh.calls).toHaveLength(2);
    expect(await keys.keyFor(A)).toBeDefined();
    expect(await keys.keyFor("c".repeat(64))).toBeUndefined();
    expect(gh.calls).toHaveLength(2);
    expect(gh.calls[1]!.at - gh.calls[0]!.at).toBe(MINUTE);
  });

  it("concurrent unknown identifiers share one fetch; a failed fetch backs off too", async () => {
    const gh = stubGitHub({}, { fail: true });
    const errors: string[] = [];
    const keys = gitHubKeys({ url: "https://github.test/keys", fetch: gh.fetchImpl, now: gh.now, refetchMs: 5_000, onError: (m) => errors.push(m) });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => keys.keyFor(String(i).padStart(64, "0"))));
    expect(answers.every((a) => a === undefined)).toBe(true);
    expect(gh.calls).toHaveLength(1);
    gh.advance(4_999);
    expect(await keys.keyFor(A)).toBeUndefined();
    expect(gh.calls).toHaveLength(1);
    gh.advance(1);
    expect(await keys.keyFor(A)).toBeUndefined();
    expect(gh.calls).toHaveLength(2);
    expect(errors[0]).toMatch(/HTTP 403/);
  });

  it("sends a configured token as Authorization: Bearer, and no Authorization without one", async () => {
    const gh = stubGitHub({ [A]: pem() });
    await gitHubKeys({ url: "https://github.test/keys", fetch: gh.fetchImpl, now: gh.now, token: "ghp_exampletoken" }).keyFor(A);
    await gitHubKeys({ url: "https://github.test/keys", fetch: gh.fetchImpl, now: gh.now }).keyFor(A);
    expect(gh.calls.map((c) => c.headers.authorization)).toEqual(["Bearer ghp_exampletoken", undefined]);
  });
});
