// The dashboard's trust-policy form and live check, and a minted key's attribution (pure):
// the form becomes the API's body only with the provider's numeric ids, a name given as an
// id is refused, the lifetime is in minutes; the check takes a token or JSON claims.
import { describe, expect, it } from "vitest";

import { mintedByFacts, mintedBySummary } from "../../lib/ui/minted-by";
import { checkInput, emptyPolicyForm, policyBody } from "../../lib/ui/trust-policies";

describe("policyBody", () => {
  it("a GitHub form with both numeric ids: the body, empty fields left out, minutes as seconds", () => {
    const form = { ...emptyPolicyForm("github"), name: " deploy ", conditions: { repository_id: "123", repository_owner_id: " 456 ", ref: "", environment: "prod" }, lifetimeMinutes: "5" };
    expect(policyBody(form)).toEqual({
      ok: true,
      body: { name: "deploy", provider: "github", conditions: { repository_id: "123", repository_owner_id: "456", environment: "prod" }, token_lifetime_seconds: 300, enabled: true },
    });
  });

  it("refuses a missing id, a name where an id goes, and a lifetime outside 1–60 minutes, by field", () => {
    const result = policyBody({ ...emptyPolicyForm("github"), name: "x", conditions: { repository_id: "acme/models" }, lifetimeMinutes: "61" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["condition-repository_id", "condition-repository_owner_id", "lifetime"]);
    expect(result.errors["condition-repository_id"]).toMatch(/numeric id/);
  });

  it("GitLab needs project_id and namespace_id; custom needs its issuer and sub", () => {
    const gitlab = policyBody({ ...emptyPolicyForm("gitlab"), name: "x", conditions: { project_id: "1" } });
    expect(gitlab.ok || Object.keys(gitlab.errors)).toEqual(["condition-namespace_id"]);
    const custom = policyBody({ ...emptyPolicyForm("custom"), name: "x", conditions: {} });
    expect(custom.ok || Object.keys(custom.errors).sort()).toEqual(["condition-sub", "issuer"]);
    const ok = policyBody({ ...emptyPolicyForm("custom"), name: "x", issuer: "https://oidc.example.com", conditions: { sub: "repo:x" } });
    expect(ok.ok).toBe(true);
  });
});

describe("checkInput", () => {
  it("JSON claims, a token, or what is wrong", () => {
    expect(checkInput(' {"repository_id": "1"} ')).toEqual({ ok: true, body: { claims: { repository_id: "1" } } });
    expect(checkInput("aaa.bbb.ccc")).toEqual({ ok: true, body: { token: "aaa.bbb.ccc" } });
    expect(checkInput("")).toMatchObject({ ok: false });
    expect(checkInput("{not json")).toMatchObject({ ok: false, error: expect.stringMatching(/JSON object/) });
    expect(checkInput("hello world")).toMatchObject({ ok: false });
  });
});

describe("a minted key's attribution", () => {
  const github = { policy_id: "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", provider: "github" as const, issuer: "https://token.actions.githubusercontent.com", repository: "acme/models", workflow: "deploy", run_id: "42", run_attempt: "2", sha: "0123456789abcdef", ref: "refs/heads/main", actor: "octocat" };

  it("in one line: repository, run and attempt, short sha, actor", () => {
    expect(mintedBySummary(github)).toBe("acme/models · run 42 (attempt 2) · 0123456 · by octocat");
    expect(mintedBySummary({ ...github, provider: "gitlab", repository: undefined, run_id: undefined, actor: undefined, project_path: "g/p", pipeline_id: "9", user_login: "ada" })).toBe(
      "g/p · pipeline 9 · 0123456 · by ada",
    );
  });

  it("as facts, only those the token had", () => {
    expect(mintedByFacts(github).map((f) => f.label)).toEqual(["Repository", "Workflow", "Run", "Commit", "Ref", "Actor"]);
  });
});
