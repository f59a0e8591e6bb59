// A key minted for a CI run (keyless CI, docs/CI.md): which run it was, in a line for key
// lists and as facts for the key's page. Types only from the contract, so the key lists'
// bundle gains no schema.
import type { MintedBy } from "@/lib/contract/minted-by";

type Fact = { label: string; value: string };

/** A minted key's CI run, as facts (only those the token had). */
export function mintedByFacts(m: MintedBy): Fact[] {
  const facts: Fact[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) facts.push({ label, value });
  };
  add("Repository", m.repository ?? m.project_path);
  add("Workflow", m.workflow ?? m.workflow_ref);
  if (m.run_id) add("Run", m.run_attempt ? `${m.run_id} (attempt ${m.run_attempt})` : m.run_id);
  add("Pipeline", m.pipeline_id);
  add("Job", m.job_id);
  add("Commit", m.sha);
  add("Ref", m.ref);
  add("Event", m.event_name);
  add("Environment", m.environment);
  add("Actor", m.actor ?? m.user_login);
  if (facts.length === 0) add("Subject", m.sub);
  return facts;
}

/** A minted key's CI run in one line: "acme/models · run 123 (attempt 1) · a1b2c3d · by octocat". */
export function mintedBySummary(m: MintedBy): string {
  const parts = [
    m.repository ?? m.project_path ?? m.sub,
    m.run_id ? `run ${m.run_id}${m.run_attempt ? ` (attempt ${m.run_attempt})` : ""}` : m.pipeline_id ? `pipeline ${m.pipeline_id}` : undefined,
    m.sha ? m.sha.slice(0, 7) : undefined,
    m.actor ?? m.user_login ? `by ${m.actor ?? m.user_login}` : undefined,
  ];
  return parts.filter(Boolean).join(" · ");
}
