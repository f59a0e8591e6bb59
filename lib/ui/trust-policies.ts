// The dashboard's words and form logic for keyless CI (docs/CI.md): a trust policy's form as
// the API's body (numeric ids required, checked by the contract's own schema) and the live
// check's input (a token or claims as JSON). A minted key's attribution: ./minted-by.ts.
// Pure: no React, no server imports.
import {
  createTrustPolicyInput,
  DEFAULT_ISSUERS,
  OPTIONAL_CONDITIONS,
  REQUIRED_CONDITIONS,
  UNTRUSTED_EVENTS,
  type CreateTrustPolicyInput,
  type TrustPolicyProvider,
} from "@/lib/contract/trust-policies";

export const PROVIDER_LABELS: Record<TrustPolicyProvider, string> = { github: "GitHub Actions", gitlab: "GitLab CI", custom: "Another OIDC issuer" };

/** Each condition's label and hint in the form. */
export const CONDITION_LABELS: Record<string, { label: string; hint: string }> = {
  repository_id: { label: "Repository ID", hint: "The repository's numeric id: gh api repos/OWNER/REPO --jq .id" },
  repository_owner_id: { label: "Owner ID", hint: "The owner's numeric id: gh api repos/OWNER/REPO --jq .owner.id" },
  project_id: { label: "Project ID", hint: "The number on the project's page (Project ID)" },
  namespace_id: { label: "Namespace ID", hint: "The group's or user's numeric id: GET /api/v4/projects/:path → namespace.id" },
  sub: { label: "Subject (sub)", hint: "The token's sub claim, exactly" },
  ref: { label: "Ref", hint: "e.g. refs/heads/main (GitHub) or main (GitLab)" },
  environment: { label: "Environment", hint: "The deployment environment the job runs in" },
  workflow_ref: { label: "Workflow ref", hint: "e.g. acme/models/.github/workflows/deploy.yml@refs/heads/main" },
  event_name: { label: "Event", hint: "e.g. push" },
  ref_protected: { label: "Protected ref", hint: "true: only protected branches and tags" },
  ref_type: { label: "Ref type", hint: "branch or tag" },
};

export const conditionLabel = (claim: string) => CONDITION_LABELS[claim]?.label ?? claim;

/** The claims a provider's form asks for: the required ones first. */
export const formConditions = (provider: TrustPolicyProvider) => [...REQUIRED_CONDITIONS[provider], ...OPTIONAL_CONDITIONS[provider]];

export const UNTRUSTED_EVENTS_WARNING =
  `Tokens from GitHub's ${UNTRUSTED_EVENTS.join(" and ")} events are refused: in them, code from a pull request (a fork's too) ` +
  "runs with the repository's identity. A fork's ordinary pull_request gets no token at all.";

export type PolicyForm = {
  provider: TrustPolicyProvider;
  name: string;
  /** Empty: the provider's issuer (github, gitlab). */
  issuer: string;
  /** Empty: the app's URL. */
  audience: string;
  /** Claim → value as typed; empty values are left out. */
  conditions: Record<string, string>;
  scopes: string[];
  lifetimeMinutes: string;
};

export const emptyPolicyForm = (provider: TrustPolicyProvider = "github"): PolicyForm => ({
  provider,
  name: "",
  issuer: "",
  audience: "",
  conditions: {},
  scopes: [],
  lifetimeMinutes: "15",
});

/** Field id → what to fix, by the form's own ids: `name`, `issuer`, `audience`, `lifetime`, `condition-<claim>`, `scopes`. */
export type PolicyFormErrors = Record<string, string>;

/** The form as createTrustPolicy's body, or what to fix (checked with the contract's schema, so the form and the API agree). */
export function policyBody(form: PolicyForm): { ok: true; body: CreateTrustPolicyInput } | { ok: false; errors: PolicyFormErrors } {
  const errors: PolicyFormErrors = {};
  const conditions: Record<string, string> = {};
  for (const [claim, value] of Object.entries(form.conditions)) if (value.trim()) conditions[claim] = value.trim();
  for (const claim of REQUIRED_CONDITIONS[form.provider]) if (!conditions[claim]) errors[`condition-${claim}`] = `${conditionLabel(claim)} is required.`;
  const minutes = Number(form.lifetimeMinutes);
  if (!/^\d+$/.test(form.lifetimeMinutes.trim()) || minutes < 1 || minutes > 60) errors.lifetime = "Give a whole number of minutes from 1 to 60.";
  const candidate = {
    name: form.name.trim(),
    provider: form.provider,
    ...(form.issuer.trim() ? { issuer: form.issuer.trim() } : {}),
    ...(form.audience.trim() ? { audience: form.audience.trim() } : {}),
    conditions,
    ...(form.scopes.length ? { scopes: form.scopes } : {}),
    token_lifetime_seconds: errors.lifetime ? 900 : minutes * 60,
  };
  const parsed = createTrustPolicyInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field] = issue.path;
      if (field === "name") errors.name ??= "Give it a name of one line, up to 100 characters, e.g. “deploy from main”.";
      else if (field === "issuer") errors.issuer ??= form.provider === "custom" && !form.issuer.trim() ? "The issuer's URL is required." : `The issuer ${issue.message}.`;
      else if (field === "audience") errors.audience ??= `The audience ${issue.message}.`;
      else if (field === "conditions") {
        const numeric = /^(\w+) must be a number/.exec(issue.message);
        if (numeric) errors[`condition-${numeric[1]}`] ??= `${conditionLabel(numeric[1]!)} must be the numeric id, not a name.`;
        else if (!/^must include/.test(issue.message)) errors.conditions ??= `Conditions ${issue.message}.`;
      } else if (field === "scopes") errors.scopes ??= `Scopes ${issue.message}.`;
      else errors.form ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** The issuer a policy of this provider gets when the field is left empty. */
export const defaultIssuer = (provider: TrustPolicyProvider) => DEFAULT_ISSUERS[provider];

/** The live check's input: claims when it reads as a JSON object, else a token (a JWT). */
export function checkInput(text: string): { ok: true; body: { token: string } | { claims: Record<string, unknown> } } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: "Paste a token, or its claims as JSON." };
  if (trimmed.startsWith("{")) {
    try {
      const claims: unknown = JSON.parse(trimmed);
      if (typeof claims === "object" && claims !== null && !Array.isArray(claims)) return { ok: true, body: { claims: claims as Record<string, unknown> } };
    } catch {
      // reported below
    }
    return { ok: false, error: "That is not a JSON object of claims. Check the braces and quotes." };
  }
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed)) return { ok: false, error: "That is neither a token (three parts separated by dots) nor JSON claims." };
  return { ok: true, body: { token: trimmed } };
}
