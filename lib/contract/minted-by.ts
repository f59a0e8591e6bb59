import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// An API key's `minted_by`, apart from the trust policies (./trust-policies.ts) so that a page
// listing keys carries only this, not the policies' schemas.

export const TRUST_POLICY_PROVIDERS = ["github", "gitlab", "custom"] as const;

/**
 * Who minted a key (an API key's `minted_by`): the trust policy and the claims of the CI run
 * that traded its token for it. GitHub's names for GitHub runs, GitLab's for GitLab's.
 */
export const MINTED_BY_CLAIMS = [
  "sub",
  "repository",
  "repository_id",
  "repository_owner",
  "workflow",
  "workflow_ref",
  "run_id",
  "run_attempt",
  "sha",
  "ref",
  "actor",
  "event_name",
  "environment",
  "project_path",
  "project_id",
  "pipeline_id",
  "job_id",
  "user_login",
] as const;
export const mintedByOutput = z
  .object({
    policy_id: z.uuid(),
    provider: z.enum(TRUST_POLICY_PROVIDERS),
    issuer: z.string(),
    ...Object.fromEntries(MINTED_BY_CLAIMS.map((claim) => [claim, z.string().optional()])),
  } as { policy_id: z.ZodUUID; provider: z.ZodEnum<{ github: "github"; gitlab: "gitlab"; custom: "custom" }>; issuer: z.ZodString } & Record<
    (typeof MINTED_BY_CLAIMS)[number],
    z.ZodOptional<z.ZodString>
  >)
  .describe("The trust policy and the CI run (its token's claims) that minted the key by token exchange");
export type MintedBy = z.output<typeof mintedByOutput>;
