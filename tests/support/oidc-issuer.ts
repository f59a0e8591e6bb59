// A local OIDC issuer on loopback standing in for GitHub Actions' and GitLab's: a discovery
// document (/.well-known/openid-configuration) naming a JWKS, RSA keys made when it starts
// (jose), and tokens signed with the claim sets those providers put in a job's token —
// GitHub's as "OpenID Connect reference" (docs.github.com/actions/reference/security/oidc)
// lists them, GitLab's as "OpenID Connect (OIDC) Authentication Using ID Tokens"
// (docs.gitlab.com/ci/secrets/id_token_authentication) does: ids as strings, GitLab's
// `ref_protected` as "true"/"false". A key can be made without being published (a rotation
// the app has not fetched yet) and published later; fetches are counted.
// The app accepts an http://127.0.0.1 issuer only with OIDC_ALLOW_LOOPBACK_ISSUERS=1.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

type SigningKey = { kid: string; privateKey: CryptoKey; jwk: JWK };

export type Claims = Record<string, unknown>;

export type OidcIssuer = {
  /** The issuer (`iss`): http://127.0.0.1:<port>. */
  url: string;
  /** The key tokens are signed with unless one is named; published. */
  current: SigningKey;
  /** A new key; published only when `publish` says so. */
  newKey: (options?: { publish?: boolean }) => Promise<SigningKey>;
  publish: (key: SigningKey) => void;
  /** Signs `claims` (RS256); `kid` may name another key than the one that signs (a forged token). */
  sign: (claims: Claims, options?: { key?: SigningKey; kid?: string }) => Promise<string>;
  /** How many times the JWKS was fetched. */
  jwksFetches: () => number;
  stop: () => Promise<void>;
};

export async function startOidcIssuer(): Promise<OidcIssuer> {
  const published: SigningKey[] = [];
  let fetches = 0;
  let url = "";
  const makeKey = async (): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = randomUUID();
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
  };
  const server: Server = createServer((req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          issuer: url,
          jwks_uri: `${url}/.well-known/jwks`,
          subject_types_supported: ["public", "pairwise"],
          response_types_supported: ["id_token"],
          id_token_signing_alg_values_supported: ["RS256"],
          claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository", "repository_id", "repository_owner_id", "event_name"],
        }),
      );
    }
    if (req.url === "/.well-known/jwks") {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ keys: published.map((key) => key.jwk) }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const current = await makeKey();
  published.push(current);
  return {
    url,
    current,
    newKey: async ({ publish = false } = {}) => {
      const key = await makeKey();
      if (publish) published.push(key);
      return key;
    },
    publish: (key) => void published.push(key),
    sign: (claims, { key = current, kid = key.kid } = {}) =>
      new SignJWT(claims as Record<string, unknown>).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(key.privateKey),
    jwksFetches: () => fetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A GitHub Actions job's token claims (a push to main of octo-org/octo-repo), with its
 * times: GitHub's `nbf` is before `iat`, and its tokens expire minutes after it.
 */
export function gitHubClaims(issuer: string, audience: string, overrides: Claims = {}): Claims {
  const iat = nowSeconds();
  return {
    jti: randomUUID(),
    sub: "repo:octo-org/octo-repo:ref:refs/heads/main",
    aud: audience,
    ref: "refs/heads/main",
    sha: "e83c5163316f89bfbde7d9ab23ca2e25604af290",
    repository: "octo-org/octo-repo",
    repository_owner: "octo-org",
    repository_owner_id: "65",
    repository_visibility: "private",
    repository_id: "74",
    run_id: "5872903413",
    run_number: "10",
    run_attempt: "2",
    runner_environment: "github-hosted",
    actor_id: "12",
    actor: "octocat",
    workflow: "deploy",
    head_ref: "",
    base_ref: "",
    event_name: "push",
    ref_protected: "true",
    ref_type: "branch",
    workflow_ref: "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
    workflow_sha: "e83c5163316f89bfbde7d9ab23ca2e25604af290",
    job_workflow_ref: "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
    job_workflow_sha: "e83c5163316f89bfbde7d9ab23ca2e25604af290",
    iss: issuer,
    nbf: iat - 600,
    exp: iat + 300,
    iat,
    ...overrides,
  };
}

/** A GitLab CI job's ID token claims (a pipeline on main of a protected branch of group/project). */
export function gitLabClaims(issuer: string, audience: string, overrides: Claims = {}): Claims {
  const iat = nowSeconds();
  return {
    namespace_id: "72",
    namespace_path: "my-group",
    project_id: "20",
    project_path: "my-group/my-project",
    user_id: "1",
    user_login: "sample-user",
    user_email: "sample-user@example.com",
    user_access_level: "developer",
    pipeline_id: "574",
    pipeline_source: "push",
    job_id: "302",
    ref: "main",
    ref_type: "branch",
    ref_path: "refs/heads/main",
    ref_protected: "true",
    runner_id: 1,
    runner_environment: "gitlab-hosted",
    sha: "714a629c0b401fdce83e847fc9589983fc6f46bc",
    project_visibility: "private",
    ci_config_ref_uri: "gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main",
    ci_config_sha: "714a629c0b401fdce83e847fc9589983fc6f46bc",
    jti: randomUUID(),
    iss: issuer,
    iat,
    nbf: iat - 5,
    exp: iat + 300,
    sub: "project_path:my-group/my-project:ref_type:branch:ref:main",
    aud: audience,
    ...overrides,
  };
}
