// The limits an answer announces, read from its `RateLimit-Policy` and `RateLimit` fields
// (draft-ietf-httpapi-ratelimit-headers-11, the IETF HTTPAPI working group's): each field is
// a Structured Field List (RFC 9651) of named policies with parameters —
//   RateLimit-Policy: "minute";q=60;w=60, "day";q=10000;w=86400
//   RateLimit: "minute";r=12;t=31
// q: the quota (requests) in a window of w seconds; r: what is left of it, t: seconds until
// it refills. Pure; a field that does not parse is ignored (null), never thrown: the limits
// are advice to the caller, the answer itself is what counts.

export const RATE_LIMIT_POLICY_HEADER = "ratelimit-policy";
export const RATE_LIMIT_HEADER = "ratelimit";

/** One limit the server applies, and (when the answer said) what is left of it. */
export type RateLimitPolicy = {
  /** The policy's name, as the server calls it (e.g. "minute", "burst", "day"). */
  name: string;
  /** Requests allowed in each window (`q`). */
  quota: number;
  /** The window's length in seconds (`w`), when given. */
  windowSeconds: number | null;
  /** Requests left in the current window (`r`), when the answer said. */
  remaining: number | null;
  /** Seconds until the window refills (`t`), when the answer said. */
  resetSeconds: number | null;
  /** `pk`: which partition (key, service account) the policy counts, as the server named it. */
  partitionKey: string | null;
};

/** The limits of one answer: every policy, in the order the server listed them. */
export type RateLimitState = {
  policies: RateLimitPolicy[];
  /** When the answer carrying them arrived (ms since the epoch, the client's clock). */
  receivedAt: number;
};

type BareItem = string | number | boolean | { token: string } | { bytes: string };
type Item = { value: BareItem; params: Record<string, BareItem> };

/**
 * A Structured Field List of Items with parameters (RFC 9651 §4.2.1), the subset these
 * fields use: strings, tokens, integers, decimals, booleans and byte sequences. Null when
 * it is not one.
 */
export function parseStructuredList(text: string): Item[] | null {
  let i = 0;
  const items: Item[] = [];
  const skipSpaces = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const bare = (): BareItem | null => {
    const c = text[i];
    if (c === '"') {
      let out = "";
      for (i++; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === "\\") {
          const next = text[++i];
          if (next !== '"' && next !== "\\") return null;
          out += next;
        } else if (ch === '"') {
          i++;
          return out;
        } else if (ch < " " || ch > "~") return null;
        else out += ch;
      }
      return null;
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const match = /^-?\d{1,15}(\.\d{1,3})?/.exec(text.slice(i));
      if (!match) return null;
      i += match[0].length;
      return Number(match[0]);
    }
    if (c === "?") {
      const v = text[i + 1];
      if (v !== "0" && v !== "1") return null;
      i += 2;
      return v === "1";
    }
    if (c === ":") {
      const end = text.indexOf(":", i + 1);
      if (end < 0) return null;
      const bytes = text.slice(i + 1, end);
      i = end + 1;
      return { bytes };
    }
    const match = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(text.slice(i));
    if (!match) return null;
    i += match[0].length;
    return { token: match[0] };
  };
  const params = (): Record<string, BareItem> | null => {
    const out: Record<string, BareItem> = {};
    while (text[i] === ";") {
      i++;
      skipSpaces();
      const match = /^[a-z*][a-z0-9_\-.*]*/.exec(text.slice(i));
      if (!match) return null;
      i += match[0].length;
      let value: BareItem = true;
      if (text[i] === "=") {
        i++;
        const v = bare();
        if (v === null) return null;
        value = v;
      }
      out[match[0]] = value;
    }
    return out;
  };
  skipSpaces();
  if (i >= text.length) return [];
  for (;;) {
    const value = bare();
    if (value === null) return null;
    const p = params();
    if (p === null) return null;
    items.push({ value, params: p });
    skipSpaces();
    if (i >= text.length) return items;
    if (text[i] !== ",") return null;
    i++;
    skipSpaces();
    if (i >= text.length) return null;
  }
}

const nameOf = (v: BareItem): string | null => (typeof v === "string" ? v : typeof v === "object" && "token" in v ? v.token : null);
const intOf = (v: BareItem | undefined): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);
const keyOf = (v: BareItem | undefined): string | null =>
  v === undefined ? null : typeof v === "string" ? v : typeof v === "object" ? ("token" in v ? v.token : v.bytes) : null;

/**
 * The policies of one answer: `RateLimit-Policy` names them with their quota and window,
 * `RateLimit` says what is left of each (matched by name and partition key). Null when the
 * answer carried neither field, or nothing readable in them.
 */
export function parseRateLimit(policyField: string | null | undefined, rateLimitField: string | null | undefined, receivedAt: number): RateLimitState | null {
  const declared = policyField ? (parseStructuredList(policyField) ?? []) : [];
  const current = rateLimitField ? (parseStructuredList(rateLimitField) ?? []) : [];
  const policies: RateLimitPolicy[] = [];
  for (const item of declared) {
    const name = nameOf(item.value);
    const quota = intOf(item.params.q);
    // Only request quotas are this SDK's business (`qu` absent means requests).
    const unit = item.params.qu === undefined ? "requests" : nameOf(item.params.qu);
    if (name === null || quota === null || unit !== "requests") continue;
    policies.push({ name, quota, windowSeconds: intOf(item.params.w), remaining: null, resetSeconds: null, partitionKey: keyOf(item.params.pk) });
  }
  for (const item of current) {
    const name = nameOf(item.value);
    if (name === null) continue;
    const partitionKey = keyOf(item.params.pk);
    const policy = policies.find((p) => p.name === name && (partitionKey === null || p.partitionKey === null || p.partitionKey === partitionKey));
    const remaining = intOf(item.params.r);
    const resetSeconds = intOf(item.params.t);
    if (policy) {
      policy.remaining = remaining;
      policy.resetSeconds = resetSeconds;
    } else if (remaining !== null) {
      // A current state without its policy: still worth reporting (the quota unknown).
      policies.push({ name, quota: remaining, windowSeconds: null, remaining, resetSeconds, partitionKey });
    }
  }
  return policies.length ? { policies, receivedAt } : null;
}

/** The policy an answer ran out of: nothing left, the longest wait first; null when none is. */
export function exhaustedPolicy(state: RateLimitState | null): RateLimitPolicy | null {
  const out = (state?.policies ?? []).filter((p) => p.remaining === 0);
  out.sort((a, b) => (b.resetSeconds ?? 0) - (a.resetSeconds ?? 0));
  return out[0] ?? null;
}

const WINDOW_WORDS: Record<number, string> = { 1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day" };

/** "60 requests a minute", "10000 requests a day", "5 requests every 30 s": a policy in words. */
export function describePolicy(policy: Pick<RateLimitPolicy, "quota" | "windowSeconds">): string {
  const requests = `${policy.quota} request${policy.quota === 1 ? "" : "s"}`;
  const w = policy.windowSeconds;
  if (w === null) return requests;
  if (WINDOW_WORDS[w]) return `${requests} ${WINDOW_WORDS[w]}`;
  // A month's window is as long as the month it is in (28–31 days).
  if (w >= 28 * 86400 && w <= 31 * 86400) return `${requests} a month`;
  return `${requests} every ${w} s`;
}
