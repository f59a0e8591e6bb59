// What a key or a session may do in an organization (lib/organizations/key-power.ts), as
// properties over every role, key scope list, policy and holder: a key never does more than
// its own scopes, its holder's role and (a member's key) the organization's policy allow; a
// service account's key is bounded by its role alone; a holder who is gone has nothing; a
// key made within what mintableScopes offers loses nothing; the policy's verdicts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { canonicalScopes, ROLE_SCOPES, ROLES, SCOPES, type Role, type Scope } from "@/lib/contract";
import { effectiveKeyScopes, keyRefusal, mintableScopes, outOfPolicy, type KeyHolding } from "@/lib/organizations/key-power";

const role = fc.constantFrom<Role>(...ROLES);
/** Any scopes, each once, in any order (stored lists are canonical; the functions must not rely on it). */
const scopes = fc.shuffledSubarray<Scope>([...SCOPES]);
const holding: fc.Arbitrary<KeyHolding> = fc.record({
  role: fc.option(role, { nil: null }),
  serviceAccount: fc.boolean(),
  serviceAccountDeleted: fc.boolean(),
  memberKeyScopes: scopes,
  requireTwoFactor: fc.boolean(),
  holderHasTwoFactor: fc.boolean(),
});
const subset = (a: readonly string[], b: readonly string[]) => a.every((s) => b.includes(s));
const DAY = 86_400_000;
const date = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true });

describe("effectiveKeyScopes", () => {
  it("is within the key's scopes and its holder's role, once each, in the contract's order", () => {
    fc.assert(
      fc.property(scopes, holding, (key, h) => {
        const effective = effectiveKeyScopes(key, h);
        expect(subset(effective, key)).toBe(true);
        expect(subset(effective, h.role === null ? [] : ROLE_SCOPES[h.role])).toBe(true);
        expect(effective).toEqual(canonicalScopes(effective));
      }),
    );
  });

  it("a member's key: exactly what the key, the role and the policy all allow", () => {
    fc.assert(
      fc.property(scopes, holding, (key, h) => {
        const member = { ...h, serviceAccount: false };
        const effective = effectiveKeyScopes(key, member);
        for (const scope of SCOPES) {
          const allowed = member.role !== null && key.includes(scope) && ROLE_SCOPES[member.role].includes(scope) && member.memberKeyScopes.includes(scope);
          expect(effective.includes(scope), scope).toBe(allowed);
        }
      }),
    );
  });

  it("a service account's key is bounded by its role, not by what members' keys may hold", () => {
    fc.assert(
      fc.property(scopes, holding, scopes, (key, h, otherPolicy) => {
        const account = { ...h, serviceAccount: true };
        const effective = effectiveKeyScopes(key, account);
        expect(effectiveKeyScopes(key, { ...account, memberKeyScopes: otherPolicy })).toEqual(effective);
        if (account.role !== null) expect(effective).toEqual(canonicalScopes(key.filter((s) => ROLE_SCOPES[account.role!].includes(s))));
      }),
    );
  });

  it("a holder who is no longer a member (no role) has none", () => {
    fc.assert(
      fc.property(scopes, holding, (key, h) => {
        expect(effectiveKeyScopes(key, { ...h, role: null })).toEqual([]);
      }),
    );
  });

  it("never grows when the key is narrowed, the role lowered or the policy tightened", () => {
    fc.assert(
      fc.property(scopes, holding, (key, h) => {
        const effective = effectiveKeyScopes(key, h);
        expect(subset(effectiveKeyScopes(key.slice(1), h), effective)).toBe(true);
        expect(subset(effectiveKeyScopes(key, { ...h, memberKeyScopes: h.memberKeyScopes.slice(1) }), effective)).toBe(true);
        for (const lower of ROLES) {
          if (h.role !== null && subset(ROLE_SCOPES[lower], ROLE_SCOPES[h.role])) {
            expect(subset(effectiveKeyScopes(key, { ...h, role: lower }), effective), lower).toBe(true);
          }
        }
      }),
    );
  });

  it("a key minted by token exchange is refused once its trust policy is turned off, whatever else holds", () => {
    const h: KeyHolding = { role: "developer", serviceAccount: true, serviceAccountDeleted: false, memberKeyScopes: SCOPES, requireTwoFactor: true, holderHasTwoFactor: true };
    expect(keyRefusal(h, "Acme")).toBeNull();
    expect(keyRefusal({ ...h, trustPolicyOff: false }, "Acme")).toBeNull();
    expect(keyRefusal({ ...h, trustPolicyOff: true }, "Acme")).toBe("API key refused: the trust policy that minted it in Acme was turned off (disabled or deleted)");
  });

  it("an owner's key with every scope, under the default policy, keeps every scope", () => {
    const h: KeyHolding = { role: "owner", serviceAccount: false, serviceAccountDeleted: false, memberKeyScopes: SCOPES, requireTwoFactor: false, holderHasTwoFactor: false };
    expect(effectiveKeyScopes(SCOPES, h)).toEqual([...SCOPES]);
    expect(effectiveKeyScopes(SCOPES, { ...h, role: "viewer" })).toEqual([...ROLE_SCOPES.viewer]);
  });
});

describe("mintableScopes", () => {
  it("is the role's scopes without a policy, and within both role and policy with one", () => {
    fc.assert(
      fc.property(role, fc.option(scopes, { nil: null }), (r, policy) => {
        const mintable = mintableScopes(r, policy);
        expect(mintable).toEqual(canonicalScopes(mintable));
        if (policy === null) expect(mintable).toEqual([...ROLE_SCOPES[r]]);
        else expect(mintable).toEqual(canonicalScopes(ROLE_SCOPES[r].filter((s) => policy.includes(s))));
      }),
    );
  });

  it("a key made within it loses nothing once made (a member's under the policy, a service account's under its role)", () => {
    fc.assert(
      fc.property(role, scopes, fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 }), (r, policy, serviceAccount, pick) => {
        const mintable = mintableScopes(r, serviceAccount ? null : policy);
        const key = mintable.filter((_, i) => (pick >> i) & 1);
        const h: KeyHolding = { role: r, serviceAccount, serviceAccountDeleted: false, memberKeyScopes: policy, requireTwoFactor: false, holderHasTwoFactor: false };
        expect(effectiveKeyScopes(key, h)).toEqual(key);
      }),
    );
  });
});

describe("keyRefusal", () => {
  it("refuses exactly: a deleted service account's key, a holder with no role, a holder short of a required second factor", () => {
    fc.assert(
      fc.property(holding, fc.constantFrom("Acme", "Personal"), (h, org) => {
        const reason = keyRefusal(h, org);
        const refused = (h.serviceAccount && h.serviceAccountDeleted) || h.role === null || (h.requireTwoFactor && !h.holderHasTwoFactor);
        expect(reason !== null).toBe(refused);
        if (reason !== null) expect(reason).toContain(org);
        if (h.serviceAccount && h.serviceAccountDeleted) expect(reason).toMatch(/service account .* was deleted/);
        else if (h.role === null) expect(reason).toMatch(/no longer a member/);
        else if (refused) expect(reason).toMatch(/two-factor/);
      }),
    );
  });

  it("a member's key is not refused for a deleted-service-account flag it cannot have", () => {
    const h: KeyHolding = { role: "developer", serviceAccount: false, serviceAccountDeleted: true, memberKeyScopes: SCOPES, requireTwoFactor: false, holderHasTwoFactor: false };
    expect(keyRefusal(h, "Acme")).toBeNull();
  });
});

describe("outOfPolicy", () => {
  const key = fc.record({ createdAt: date, expiresAt: fc.option(date, { nil: null }), scopes, serviceAccount: fc.boolean() });

  it("finds nothing without a policy (no lifetime limit, every scope allowed)", () => {
    fc.assert(
      fc.property(key, (k) => {
        expect(outOfPolicy(k, { maxKeyLifetimeDays: null, memberKeyScopes: SCOPES })).toBeNull();
      }),
    );
  });

  it("a lifetime limit: a key that never expires, or expires after its creation plus the limit, is out of policy; at the limit it is not", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 3650 }), fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -5 * DAY, max: 5 * DAY })), fc.boolean(), (createdAt, days, offset, serviceAccount) => {
        const policy = { maxKeyLifetimeDays: days, memberKeyScopes: SCOPES };
        const limit = createdAt.getTime() + days * DAY;
        const expiresAt = new Date(limit + offset);
        const verdict = outOfPolicy({ createdAt, expiresAt, scopes: ["specs:read"], serviceAccount }, policy);
        if (offset > 0) expect(verdict).toMatch(new RegExp(`longer than the ${days} days`));
        else expect(verdict).toBeNull();
        expect(outOfPolicy({ createdAt, expiresAt: null, scopes: ["specs:read"], serviceAccount }, policy)).toMatch(/never expires/);
      }),
    );
  });

  it("scopes: a member's key holding what members' keys may no longer hold is out of policy, naming them; a service account's key is not", () => {
    fc.assert(
      fc.property(key, scopes, (k, allowed) => {
        const policy = { maxKeyLifetimeDays: null, memberKeyScopes: allowed };
        const beyond = k.scopes.filter((s) => !allowed.includes(s));
        const verdict = outOfPolicy(k, policy);
        if (k.serviceAccount || beyond.length === 0) expect(verdict).toBeNull();
        else for (const scope of beyond) expect(verdict).toContain(scope);
      }),
    );
  });

  it("gives both reasons when both apply", () => {
    const verdict = outOfPolicy(
      { createdAt: new Date("2026-01-01T00:00:00Z"), expiresAt: null, scopes: ["specs:read", "org:write"], serviceAccount: false },
      { maxKeyLifetimeDays: 90, memberKeyScopes: ["specs:read"] },
    );
    expect(verdict).toBe("This key never expires; the organization allows keys of at most 90 days; and holds org:write, which members' keys may no longer use");
  });
});
