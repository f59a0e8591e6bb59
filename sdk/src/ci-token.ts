// The CI job's own OIDC token, for the exchange (./oidc.ts):
//   - GitHub Actions: asked of the runner with ACTIONS_ID_TOKEN_REQUEST_URL and
//     ACTIONS_ID_TOKEN_REQUEST_TOKEN (`&audience=…` appended), which the runner sets only for a
//     job with `permissions: id-token: write`;
//   - GitLab CI, or any CI that puts a signed token in a variable: the variable named by
//     TUNED_TENSOR_OIDC_TOKEN_VAR (default TUNED_TENSOR_ID_TOKEN), which GitLab fills from the
//     job's `id_tokens:` (whose `aud:` is set there, not here).
// The environment is passed in (a test's, or process.env); fetch only.
import { networkReason, TunedTensorError } from "./errors.ts";

export const ENV_OIDC_POLICY = "TUNED_TENSOR_OIDC_POLICY";
export const ENV_OIDC_AUDIENCE = "TUNED_TENSOR_OIDC_AUDIENCE";
export const ENV_OIDC_TOKEN_VAR = "TUNED_TENSOR_OIDC_TOKEN_VAR";
export const DEFAULT_OIDC_TOKEN_VAR = "TUNED_TENSOR_ID_TOKEN";
export const GITHUB_REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
export const GITHUB_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

export type CiProvider = "github" | "gitlab" | "variable";

/** No CI token could be had; the message says why and what to add to the job. */
export class CiTokenError extends TunedTensorError {
  constructor(
    message: string,
    /** What to change, in the CI's own terms (a line of YAML). */
    readonly hints: string[] = [],
  ) {
    super(message);
  }
}
CiTokenError.prototype.name = "CiTokenError";

type Env = Record<string, string | undefined>;
const set = (env: Env, name: string) => Boolean(env[name]?.trim());

/** The audience to ask GitHub for: TUNED_TENSOR_OIDC_AUDIENCE, else the server's origin (a trust policy's default audience is the app's URL). */
export function oidcAudience(baseUrl: string, env: Env, explicit?: string): string {
  const given = explicit?.trim() || env[ENV_OIDC_AUDIENCE]?.trim();
  return given || new URL(baseUrl).origin;
}

/** Where this job's token comes from, or null outside a CI this knows. */
export function ciProvider(env: Env): CiProvider | null {
  if (set(env, ENV_OIDC_TOKEN_VAR)) return "variable";
  if (set(env, GITHUB_REQUEST_URL) || set(env, GITHUB_REQUEST_TOKEN) || env.GITHUB_ACTIONS === "true") return "github";
  if (set(env, DEFAULT_OIDC_TOKEN_VAR) || env.GITLAB_CI === "true") return "gitlab";
  return null;
}

const GITHUB_PERMISSION_HINTS = [
  "Give the job permission to ask for it, in the workflow:",
  "  permissions:",
  "    id-token: write",
  "    contents: read",
  "(A pull request from a fork never gets one.)",
];

export type CiTokenOptions = {
  /** The environment (process.env in a CLI). */
  env: Env;
  /** GitHub only: the token's `aud`; see oidcAudience. */
  audience: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/** This job's OIDC token (a JWT), fetched fresh from GitHub's runner or read from the variable. */
export async function ciIdToken({ env, audience, fetch: fetcher = globalThis.fetch, timeoutMs = 30_000 }: CiTokenOptions): Promise<string> {
  const provider = ciProvider(env);
  if (provider === "github") return githubToken(env, audience, fetcher, timeoutMs);
  const name = provider === "variable" ? env[ENV_OIDC_TOKEN_VAR]!.trim() : DEFAULT_OIDC_TOKEN_VAR;
  const value = env[name]?.trim();
  if (value) return value;
  if (provider === "variable") throw new CiTokenError(`${ENV_OIDC_TOKEN_VAR} names the variable ${name}, which is not set or empty`);
  if (provider === "gitlab") {
    throw new CiTokenError(`this GitLab job has no OIDC token: ${DEFAULT_OIDC_TOKEN_VAR} is not set`, [
      "Ask GitLab for one in the job, with the server's URL as its audience:",
      "  id_tokens:",
      `    ${DEFAULT_OIDC_TOKEN_VAR}:`,
      `      aud: ${audience}`,
      `(Another variable name: set ${ENV_OIDC_TOKEN_VAR} to it.)`,
    ]);
  }
  throw new CiTokenError("no CI OIDC token here: this is neither a GitHub Actions job nor a GitLab job with an id_tokens: variable", [
    `GitHub Actions: add "permissions: id-token: write" to the job. GitLab: add an id_tokens: entry named ${DEFAULT_OIDC_TOKEN_VAR}.`,
    `Another CI: put its OIDC token in a variable and name it in ${ENV_OIDC_TOKEN_VAR}.`,
  ]);
}

async function githubToken(env: Env, audience: string, fetcher: typeof fetch, timeoutMs: number): Promise<string> {
  const requestUrl = env[GITHUB_REQUEST_URL]?.trim();
  const requestToken = env[GITHUB_REQUEST_TOKEN]?.trim();
  if (!requestUrl || !requestToken) {
    throw new CiTokenError(
      `this GitHub Actions job cannot ask for an OIDC token: ${[!requestUrl && GITHUB_REQUEST_URL, !requestToken && GITHUB_REQUEST_TOKEN].filter(Boolean).join(" and ")} ${requestUrl || requestToken ? "is" : "are"} not set, which means the job lacks "permissions: id-token: write"`,
      GITHUB_PERMISSION_HINTS,
    );
  }
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new CiTokenError(`${GITHUB_REQUEST_URL} is not a URL`);
  }
  url.searchParams.set("audience", audience);
  // The URL is the runner's own; what it says on failure may be quoted, the request token never.
  const where = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetcher(url, {
      headers: { authorization: `bearer ${requestToken}`, accept: "application/json; api-version=2.0" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CiTokenError(`could not ask GitHub for the job's OIDC token at ${where}: ${networkReason(error, timeoutMs)}`);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    const hints = response.status === 401 || response.status === 403 ? GITHUB_PERMISSION_HINTS : [];
    throw new CiTokenError(`GitHub refused the job's OIDC token request (HTTP ${response.status} from ${where})`, hints);
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== "string" || !value) throw new CiTokenError(`GitHub's answer for the job's OIDC token (${where}) has no "value"`);
  return value;
}
