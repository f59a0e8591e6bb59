// Keyless CI for tt: the job's OIDC token (GitHub Actions' runner, or GitLab's id_tokens:
// variable: sdk/src/ci-token.ts) traded for a short-lived key of a service account
// (sdk/src/oidc.ts). The key lives in this process only, exchanged again if it expires
// mid-run; nothing is written to disk (tt auth login --oidc --store asks for that).
import {
  NetworkError as SdkNetworkError,
  OidcCredential,
  TokenExchangeError,
  UnexpectedResponseError,
  type ExchangedKey,
} from "../../sdk/src/index.js";
import { ciIdToken, ciProvider, CiTokenError, ENV_OIDC_POLICY, oidcAudience, type CiProvider } from "../../sdk/src/node.js";
import { CliError, NetworkError } from "./client.js";
import type { ResolvedBaseUrl } from "./config.js";

export { ENV_OIDC_AUDIENCE, ENV_OIDC_POLICY, ENV_OIDC_TOKEN_VAR, DEFAULT_OIDC_TOKEN_VAR } from "../../sdk/src/node.js";

/** A key minted from the job's token, and how. */
export type OidcKey = {
  credential: OidcCredential;
  minted: ExchangedKey;
  /** The trust policy asked for, or null: the server chose the one that matched. */
  policy: string | null;
  provider: CiProvider | null;
  /** The audience asked of GitHub (GitLab's is set in the job's id_tokens:). */
  audience: string;
  /** What asked for it: TUNED_TENSOR_OIDC_POLICY, or tt auth login --oidc. */
  via: "environment" | "login";
};

const PROVIDER_NAMES: Record<CiProvider, string> = { github: "GitHub Actions", gitlab: "GitLab CI", variable: "a CI token variable" };
export const providerName = (provider: CiProvider | null) => (provider ? PROVIDER_NAMES[provider] : "the CI");

const LIVE_CHECK = "The dashboard's live check (Settings → Service accounts → the account → Trust policies) shows which policy a token's claims would match, and why.";

/** Why the exchange failed, in the CLI's words, with what to do. */
function exchangeFailure(error: unknown, baseUrl: ResolvedBaseUrl, policy: string | null): unknown {
  if (error instanceof CiTokenError) return new CliError(error.message, 1, error.hints);
  if (error instanceof TokenExchangeError) {
    const hints =
      error.error === "invalid_target"
        ? [`Name the trust policy to use: set ${ENV_OIDC_POLICY} to its id (or tt auth login --oidc --policy <id>).`]
        : error.error === "invalid_grant"
          ? [
              policy
                ? `Check that trust policy ${policy} is enabled and that its issuer, audience and conditions fit this job.`
                : "Check that a trust policy of the service account is enabled and that its issuer, audience and conditions fit this job.",
              LIVE_CHECK,
            ]
          : [];
    return new CliError(`${baseUrl.url} refused this job's OIDC token (${error.status} ${error.message})`, 1, hints);
  }
  if (error instanceof SdkNetworkError) return new NetworkError(error.url, error.reason);
  if (error instanceof UnexpectedResponseError) return new CliError(`${error.message}; is ${baseUrl.url} a Tuned Tensor server with keyless CI?`);
  return error;
}

/** Exchanges the job's token now (so a failure is reported before any command runs) and keeps the credential for later exchanges. */
export async function mintKey(
  baseUrl: ResolvedBaseUrl,
  { policy, audience: explicitAudience, via, env = process.env }: { policy: string | null; audience?: string; via: OidcKey["via"]; env?: NodeJS.ProcessEnv },
): Promise<OidcKey> {
  const audience = oidcAudience(baseUrl.url, env, explicitAudience);
  const credential = new OidcCredential({
    baseUrl: baseUrl.url,
    ...(policy ? { policy } : {}),
    token: () => ciIdToken({ env, audience }),
  });
  try {
    const minted = await credential.get();
    return { credential, minted, policy, provider: ciProvider(env), audience, via };
  } catch (error) {
    throw exchangeFailure(error, baseUrl, policy);
  }
}

/** How long a minted key has left: "in 14 min", "in 40 s". */
export function minutesLeft(expiresAt: number, at: number): string {
  const s = Math.max(0, Math.round((expiresAt - at) / 1000));
  return s >= 120 ? `in ${Math.floor(s / 60)} min` : `in ${s} s`;
}
