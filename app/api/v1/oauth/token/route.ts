import { oauthAnswer, oauthError, readOAuthParams } from "@/lib/api/oauth";
import { methodNotAllowed, serve } from "@/lib/api/serve";
import { exchangeTokenInput, methodsAt, operations, TOKEN_EXCHANGE_GRANT } from "@/lib/contract";
import { db } from "@/lib/db";
import { requestOrigin } from "@/lib/http/request-origin";
import { exchangeToken, OAuthError } from "@/lib/oidc/exchange";
import { issuerKeys } from "@/lib/oidc/issuer-keys";

// POST /api/v1/oauth/token — RFC 8693 token exchange: a CI job's OIDC token for a short-lived
// key of the service account whose trust policy it matches; refusals in RFC 6749's shape
export const POST = serve(operations.exchangeToken, async ({ request }) => {
  const read = await readOAuthParams(request, exchangeTokenInput, TOKEN_EXCHANGE_GRANT);
  if (!read.ok) return read.response;
  try {
    const answer = await exchangeToken(db, {
      input: read.params,
      keys: issuerKeys,
      nowMs: Date.now(),
      actor: { type: "system", ...requestOrigin(request) },
    });
    return oauthAnswer(answer);
  } catch (error) {
    if (error instanceof OAuthError) return oauthError(error.code, error.message);
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/oauth/token"));
