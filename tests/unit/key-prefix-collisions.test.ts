// Two different keys whose first characters are the same — the same `key_prefix`, or all but
// the last random character, both with valid checksums — are never confused anywhere on
// the verification path: the format check keeps each whole, and the verification cache
// (with an injected lookup and a fake clock, inside its window so the second is asked while
// the first is remembered) answers each with its own row, in any order.
import { createHash } from "node:crypto";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { keyPrefix, parseApiKey } from "@/lib/api-keys/key-format";
import { lookUpKey } from "@/lib/api-keys/key-lookup";
import { VerificationCache } from "@/lib/api-keys/verification-cache";

import { BASE62, keyFor } from "../support/key-twins";

const char = fc.constantFrom(...BASE62);
const chars = (n: number) => fc.array(char, { minLength: n, maxLength: n }).map((a) => a.join(""));

/** Two different keys sharing their first `shared` random characters. */
const pairSharing = (shared: number) =>
  fc
    .tuple(chars(shared), chars(43 - shared), chars(43 - shared))
    .filter(([, a, b]) => a !== b)
    .map(([common, a, b]) => [keyFor(common + a), keyFor(common + b)] as const);

// Sharing the displayed prefix (8), most of the key, and all but the last random character.
const PAIRS = fc.oneof(pairSharing(8), pairSharing(30), pairSharing(42));

type Row = { id: string; key: string };

/** The database as the verifier sees it: a row per key, found by the key's SHA-256 only. */
function fakeLookup(rows: Row[]) {
  const byHash = new Map(rows.map((row) => [createHash("sha256").update(row.key).digest("base64"), row]));
  const calls: string[] = [];
  const lookup = async (hash: Buffer) => {
    calls.push(hash.toString("base64"));
    return byHash.get(hash.toString("base64")) ?? null;
  };
  return { lookup, calls };
}

describe("keys that share their first characters", () => {
  it("are both valid, share the displayed prefix, and parse to themselves", () => {
    fc.assert(
      fc.property(PAIRS, ([a, b]) => {
        expect(a).not.toBe(b);
        expect(keyPrefix(a)).toBe(keyPrefix(b));
        expect(parseApiKey(a)).toEqual({ key: a, prefix: keyPrefix(a) });
        expect(parseApiKey(b)).toEqual({ key: b, prefix: keyPrefix(b) });
      }),
      { numRuns: 300 },
    );
  });

  it("each resolves to its own row through the verification cache, whichever is asked first and however often", async () => {
    await fc.assert(
      fc.asyncProperty(PAIRS, fc.array(fc.boolean(), { minLength: 2, maxLength: 12 }), fc.integer({ min: 0, max: 999 }), async ([a, b], order, step) => {
        let now = 0;
        const cache = new VerificationCache<Row>({ ttlMs: 1000, maxEntries: 100, now: () => now });
        const rows = [{ id: "row-a", key: a }, { id: "row-b", key: b }];
        const { lookup } = fakeLookup(rows);
        // Both asked at once (a shared lookup in flight) …
        const [ra, rb] = await Promise.all([lookUpKey(cache, a, lookup), lookUpKey(cache, b, lookup)]);
        expect(ra?.id).toBe("row-a");
        expect(rb?.id).toBe("row-b");
        // … then one at a time, from memory, inside the window.
        for (const first of order) {
          now += step / order.length;
          const key = first ? a : b;
          expect((await lookUpKey(cache, key, lookup))?.id).toBe(first ? "row-a" : "row-b");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a key that is not stored is not answered with the row of one sharing its prefix", async () => {
    await fc.assert(
      fc.asyncProperty(PAIRS, async ([stored, other]) => {
        const cache = new VerificationCache<Row>({ ttlMs: 1000, maxEntries: 100, now: () => 0 });
        const { lookup } = fakeLookup([{ id: "stored", key: stored }]);
        expect((await lookUpKey(cache, stored, lookup))?.id).toBe("stored");
        expect(await lookUpKey(cache, other, lookup)).toBeNull();
        // A revoked twin (its row gone from the lookup) does not take the other's place either.
        expect((await lookUpKey(cache, stored, lookup))?.id).toBe("stored");
      }),
      { numRuns: 200 },
    );
  });
});
