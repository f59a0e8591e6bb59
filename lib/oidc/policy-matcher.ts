import {
  MINTED_BY_CLAIMS,
  REQUIRED_CONDITIONS,
  UNTRUSTED_EVENTS,
  type MintedBy,
  type TrustConditions,
  type TrustPolicyProvider,
  type TrustReason,
} from "@/lib/contract";

// Whether a CI token's claims satisfy a trust policy, and why: pure, so every rule is tested
// without a token or a database (tests/unit/policy-matcher.test.ts). The live check
// (POST /api/v1/organization/trust-policies/test) shows the reasons; the exchange says only
// that the token matches no trust policy, so a caller cannot probe which condition failed.
// Also the providers' presets: what a new policy gets by default, what makes one risky, and
// which claims a minted key keeps as its attribution.

export type MatchablePolicy = {
  provider: TrustPolicyProvider;
  issuer: string;
  audience: string;
  conditions: TrustConditions;
  allowedEvents: readonly string[];
};

/**
 * A claim as the text a condition compares with: strings as they are, integers and booleans
 * as JSON writes them ("123456", "true"); anything else (absent, an object, a fraction) is
 * null, which no condition equals.
 */
export function claimText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return null;
}

const audiences = (aud: unknown): string[] => (typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : []);

/** The event rule of a GitHub policy: which events pass, in words (a reason's `expected`). */
function eventRule(allowed: readonly string[]): { expected: string; ok: (event: string | null) => boolean } {
  if (allowed.length === 0) {
    return {
      expected: `any event but ${UNTRUSTED_EVENTS.join(" and ")}`,
      ok: (event) => event !== null && !(UNTRUSTED_EVENTS as readonly string[]).includes(event),
    };
  }
  return { expected: `one of ${allowed.join(", ")}`, ok: (event) => event !== null && allowed.includes(event) };
}

/**
 * Every check of `policy` against `claims`, in order: the issuer, the audience, each
 * condition (the provider's required ones first), and for GitHub the event. `matches` when
 * all pass. Claims are compared exactly, as text (claimText): no patterns, no case folding.
 */
export function matchPolicy(policy: MatchablePolicy, claims: Record<string, unknown>): { matches: boolean; reasons: TrustReason[] } {
  const reasons: TrustReason[] = [];
  const iss = claimText(claims.iss);
  reasons.push({ claim: "iss", expected: policy.issuer, actual: iss, ok: iss === policy.issuer });
  const aud = audiences(claims.aud);
  reasons.push({ claim: "aud", expected: policy.audience, actual: aud.length ? aud.join(", ") : null, ok: aud.includes(policy.audience) });
  const required = REQUIRED_CONDITIONS[policy.provider];
  const names = [...required.filter((name) => name in policy.conditions), ...Object.keys(policy.conditions).filter((name) => !required.includes(name)).sort()];
  for (const name of names) {
    const expected = policy.conditions[name]!;
    const actual = claimText(claims[name]);
    reasons.push({ claim: name, expected, actual, ok: actual === expected });
  }
  // A required condition the policy lacks (a row written around the contract) matches nothing.
  for (const name of required) if (!(name in policy.conditions)) reasons.push({ claim: name, expected: "(required by the policy's provider)", actual: claimText(claims[name]), ok: false });
  if (policy.provider === "github" && !("event_name" in policy.conditions)) {
    const rule = eventRule(policy.allowedEvents);
    const event = claimText(claims.event_name);
    reasons.push({ claim: "event_name", expected: rule.expected, actual: event, ok: rule.ok(event) });
  }
  return { matches: reasons.every((reason) => reason.ok), reasons };
}

/**
 * A new policy's conditions with the provider's defaults: a GitLab policy accepts only
 * protected refs (`ref_protected` = "true") unless it says otherwise.
 */
export function withPresetConditions(provider: TrustPolicyProvider, conditions: TrustConditions): TrustConditions {
  if (provider === "gitlab" && conditions.ref_protected === undefined) return { ...conditions, ref_protected: "true" };
  return conditions;
}

/** What makes a policy risky, for people: answered with it (the dashboard shows them where it is made). */
export function policyWarnings(policy: Pick<MatchablePolicy, "provider" | "allowedEvents" | "conditions">): string[] {
  const warnings: string[] = [];
  if (policy.provider === "github") {
    const untrusted = UNTRUSTED_EVENTS.filter((event) => policy.allowedEvents.includes(event) || policy.conditions.event_name === event);
    for (const event of untrusted) {
      warnings.push(`${event} is allowed: in it, code from a fork or another workflow can run with this repository's identity and get a key`);
    }
  }
  if (policy.provider === "gitlab" && policy.conditions.ref_protected !== "true") {
    warnings.push("tokens from unprotected refs are accepted: anyone who can push a branch can get a key");
  }
  return warnings;
}

const MAX_CLAIM_LENGTH = 300;

/** The attribution a minted key keeps: the policy and the run's claims that say which run it was. */
export function mintedBy(policy: { id: string; provider: TrustPolicyProvider; issuer: string }, claims: Record<string, unknown>): MintedBy {
  const picked: Record<string, string> = {};
  for (const claim of MINTED_BY_CLAIMS) {
    const text = claimText(claims[claim]);
    if (text !== null) picked[claim] = text.slice(0, MAX_CLAIM_LENGTH);
  }
  return { policy_id: policy.id, provider: policy.provider, issuer: policy.issuer, ...picked };
}

/** A minted key's name: which run it is for, on one line of at most 100 characters. */
export function mintedKeyName(by: MintedBy): string {
  const what = by.repository ?? by.project_path ?? by.sub ?? "CI";
  const run = by.run_id ? ` run ${by.run_id}${by.run_attempt ? `.${by.run_attempt}` : ""}` : by.pipeline_id ? ` pipeline ${by.pipeline_id}${by.job_id ? ` job ${by.job_id}` : ""}` : "";
  // Claims are the CI's text: only letters, digits, punctuation, symbols and plain spaces are
  // kept, so the name passes the single-line rule of every key name (lib/contract/text.ts).
  const text = `CI: ${what}${run}`.replace(/[^\p{L}\p{N}\p{P}\p{S} ]/gu, " ").replace(/ +/g, " ");
  return [...text].slice(0, 100).join("").trim();
}
