// The trust policy matcher and the providers' presets (lib/oidc/policy-matcher.ts): pure.
import { describe, expect, it } from "vitest";

import { claimText, matchPolicy, mintedBy, mintedKeyName, policyWarnings, withPresetConditions, type MatchablePolicy } from "@/lib/oidc/policy-matcher";

import { gitHubClaims, gitLabClaims } from "../support/oidc-issuer";

const ISSUER = "https://token.actions.githubusercontent.com";
const AUD = "https://tunedtensor.com";
const GITHUB: MatchablePolicy = {
  provider: "github",
  issuer: ISSUER,
  audience: AUD,
  conditions: { repository_id: "74", repository_owner_id: "65", ref: "refs/heads/main" },
  allowedEvents: [],
};
const GITLAB: MatchablePolicy = {
  provider: "gitlab",
  issuer: "https://gitlab.com",
  audience: AUD,
  conditions: withPresetConditions("gitlab", { project_id: "20", namespace_id: "72" }),
  allowedEvents: [],
};
const failed = (result: ReturnType<typeof matchPolicy>) => result.reasons.filter((r) => !r.ok).map((r) => r.claim);

describe("matchPolicy", () => {
  it("matches GitHub's claim set of the trusted job, every reason ok, the issuer and audience first", () => {
    const result = matchPolicy(GITHUB, gitHubClaims(ISSUER, AUD));
    expect(result.matches).toBe(true);
    expect(result.reasons.map((r) => r.claim)).toEqual(["iss", "aud", "repository_id", "repository_owner_id", "ref", "event_name"]);
    expect(result.reasons.every((r) => r.ok)).toBe(true);
  });

  it("names each failing claim with what was expected and what the token had", () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ iss: "https://example.com" }, ["iss"]],
      [{ aud: "https://other.example" }, ["aud"]],
      [{ aud: ["https://other.example", AUD] }, []],
      [{ aud: undefined }, ["aud"]],
      [{ repository_id: "75" }, ["repository_id"]],
      // The name is not what is trusted: a repository re-registered under the same name has another id.
      [{ repository: "octo-org/octo-repo", repository_id: "999" }, ["repository_id"]],
      [{ repository_owner_id: "66" }, ["repository_owner_id"]],
      [{ repository_id: undefined }, ["repository_id"]],
      [{ ref: "refs/heads/Main" }, ["ref"]],
      [{ event_name: "pull_request_target" }, ["event_name"]],
      [{ event_name: "workflow_run" }, ["event_name"]],
      [{ event_name: undefined }, ["event_name"]],
      [{ event_name: "pull_request" }, []],
      // Numbers and strings are the same id; a fraction or an object is nothing.
      [{ repository_id: 74 }, []],
      [{ repository_id: 74.5 }, ["repository_id"]],
      [{ repository_id: { id: "74" } }, ["repository_id"]],
    ];
    for (const [overrides, failing] of cases) {
      const result = matchPolicy(GITHUB, gitHubClaims(ISSUER, AUD, overrides));
      expect(failed(result), JSON.stringify(overrides)).toEqual(failing);
      expect(result.matches, JSON.stringify(overrides)).toBe(failing.length === 0);
    }
    expect(matchPolicy(GITHUB, gitHubClaims(ISSUER, AUD, { repository_id: "75" })).reasons.find((r) => r.claim === "repository_id")).toEqual({
      claim: "repository_id",
      expected: "74",
      actual: "75",
      ok: false,
    });
  });

  it("lets a policy allow an untrusted event only by listing it, and then only the events listed", () => {
    const allowing = { ...GITHUB, allowedEvents: ["push", "pull_request_target"] };
    expect(matchPolicy(allowing, gitHubClaims(ISSUER, AUD, { event_name: "pull_request_target" })).matches).toBe(true);
    expect(matchPolicy(allowing, gitHubClaims(ISSUER, AUD, { event_name: "workflow_dispatch" })).matches).toBe(false);
    expect(policyWarnings(allowing)).toEqual([expect.stringMatching(/^pull_request_target is allowed/)]);
    expect(policyWarnings(GITHUB)).toEqual([]);
  });

  it("gives GitLab policies ref_protected = true unless they say otherwise, and refuses unprotected refs", () => {
    expect(GITLAB.conditions).toEqual({ project_id: "20", namespace_id: "72", ref_protected: "true" });
    expect(withPresetConditions("gitlab", { project_id: "1", namespace_id: "2", ref_protected: "false" }).ref_protected).toBe("false");
    expect(withPresetConditions("github", { repository_id: "1", repository_owner_id: "2" })).toEqual({ repository_id: "1", repository_owner_id: "2" });
    expect(matchPolicy(GITLAB, gitLabClaims("https://gitlab.com", AUD)).matches).toBe(true);
    expect(failed(matchPolicy(GITLAB, gitLabClaims("https://gitlab.com", AUD, { ref_protected: "false" })))).toEqual(["ref_protected"]);
    expect(failed(matchPolicy(GITLAB, gitLabClaims("https://gitlab.com", AUD, { project_id: "21" })))).toEqual(["project_id"]);
    // No event rule for GitLab.
    expect(matchPolicy(GITLAB, gitLabClaims("https://gitlab.com", AUD)).reasons.map((r) => r.claim)).not.toContain("event_name");
    expect(policyWarnings({ ...GITLAB, conditions: { project_id: "20", namespace_id: "72" } })).toEqual([expect.stringMatching(/unprotected refs/)]);
  });

  it("matches nothing for a policy missing its provider's required conditions (a row written around the contract)", () => {
    const loose = { ...GITHUB, conditions: { ref: "refs/heads/main" } };
    const result = matchPolicy(loose, gitHubClaims(ISSUER, AUD));
    expect(result.matches).toBe(false);
    expect(failed(result)).toEqual(["repository_id", "repository_owner_id"]);
  });
});

describe("claimText", () => {
  it("is a string's text, an integer's or a boolean's JSON, and null otherwise", () => {
    expect([claimText("a"), claimText(12), claimText(true), claimText(false), claimText(1.5), claimText(null), claimText(undefined), claimText([1])]).toEqual([
      "a",
      "12",
      "true",
      "false",
      null,
      null,
      null,
      null,
    ]);
  });
});

describe("attribution", () => {
  it("keeps the run's claims and names the key after the run, on one line", () => {
    const by = mintedBy({ id: "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", provider: "github", issuer: ISSUER }, gitHubClaims(ISSUER, AUD));
    expect(by).toMatchObject({ policy_id: "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", repository: "octo-org/octo-repo", run_id: "5872903413", run_attempt: "2", actor: "octocat" });
    expect(by).not.toHaveProperty("repository_visibility");
    expect(mintedKeyName(by)).toBe("CI: octo-org/octo-repo run 5872903413.2");
    const gitlab = mintedBy({ id: "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", provider: "gitlab", issuer: "https://gitlab.com" }, gitLabClaims("https://gitlab.com", AUD));
    expect(mintedKeyName(gitlab)).toBe("CI: my-group/my-project pipeline 574 job 302");
    const hostile = mintedBy({ id: "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", provider: "custom", issuer: ISSUER }, { sub: `a\nb\u202Ec${"x".repeat(500)}` });
    expect(mintedKeyName(hostile)).toMatch(/^CI: a b cx+$/);
    expect([...mintedKeyName(hostile)].length).toBeLessThanOrEqual(100);
    expect(hostile.sub!.length).toBe(300);
  });
});
