// The local API gateway: what Kong is in `supabase start` and in hosted Supabase, cut
// down to the one service this project uses. It serves /auth/v1/* from the auth
// server, so NEXT_PUBLIC_SUPABASE_URL=http://127.0.0.1:54321 behaves as it does
// against a hosted project:
//   - every request except the open auth routes needs an `apikey` (the publishable
//     or the secret key), as Kong's key-auth plugin demands;
//   - an opaque key in Authorization is swapped for a short-lived role JWT (anon or
//     service_role), as hosted Supabase does for its new API keys, so the auth server
//     only ever sees JWTs; a user's own access token passes through untouched.
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { AUTH_EXTERNAL_URL, AUTH_PORT, GATEWAY_PORT, HOST, KEY_FILE, PUBLISHABLE_KEY, SECRET_KEY } from "./config.ts";
import { loadOrCreateSigningKey, signJwt } from "@tuned-tensor/auth-server/jwt";

const upstreamPort = Number(process.env.TT_AUTH_UPSTREAM_PORT || AUTH_PORT);
const port = Number(process.env.PORT || GATEWAY_PORT);
const signingKey = loadOrCreateSigningKey(KEY_FILE);

// Routes Kong leaves open in Supabase's own gateway config: links from e-mails, OAuth
// redirects, and the public keys that verifiers fetch.
const OPEN_AUTH_PATHS = new Set(["/verify", "/callback", "/authorize", "/.well-known/jwks.json"]);
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"]);
const ROLE_BY_KEY = new Map<string, string>([[PUBLISHABLE_KEY, "anon"], [SECRET_KEY, "service_role"]]);

// Signing one JWT per request would be wasted work: a role token is the same for
// everyone, so keep one per role and renew it well before it expires.
const roleTokens = new Map<string, { token: string; exp: number }>();
function roleToken(role: string): string {
  const now = Math.floor(Date.now() / 1000);
  const cached = roleTokens.get(role);
  if (cached && cached.exp - now > 60) return cached.token;
  const exp = now + 300;
  const token = signJwt({ iss: AUTH_EXTERNAL_URL, role, iat: now, exp }, signingKey);
  roleTokens.set(role, { token, exp });
  return token;
}

function corsHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const origin = req.headers.origin;
  return {
    "access-control-allow-origin": origin || "*",
    ...(origin ? { "access-control-allow-credentials": "true", vary: "Origin" } : {}),
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers": "authorization, apikey, content-type, x-client-info, x-supabase-api-version, x-retry-count",
    "access-control-expose-headers": "x-total-count, link, x-supabase-api-version",
    "access-control-max-age": "3600",
  };
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { "content-type": "application/json", ...corsHeaders(req) });
  res.end(JSON.stringify(body));
}

const bearer = (value: unknown): string | undefined => (typeof value === "string" && /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, "").trim() : undefined);

/**
 * One access-log line per request, as Kong writes one: method, path (never the query, which
 * can carry one-time tokens), status, and a short SHA-256 of the bearer token when there is
 * one — enough for a test to tell whether a given token ever reached the auth server
 * (tests/integration/security-findings.test.ts), nothing that could be replayed.
 */
function accessLog(req: IncomingMessage, res: ServerResponse, path: string) {
  const token = bearer(req.headers.authorization);
  const tag = token ? ` token=${createHash("sha256").update(token).digest("hex").slice(0, 16)}` : "";
  res.once("finish", () => console.log(`${req.method} ${path} ${res.statusCode}${tag}`));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://gateway.local");
  accessLog(req, res, url.pathname);
  if (!url.pathname.startsWith("/auth/v1/") && url.pathname !== "/auth/v1") {
    return void reply(req, res, 404, { message: "no Route matched with those values" });
  }
  if (req.method === "OPTIONS") {
    res.writeHead(204, corsHeaders(req));
    res.end();
    return;
  }
  const path = url.pathname.slice("/auth/v1".length) || "/";
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }

  if (!OPEN_AUTH_PATHS.has(path)) {
    const apikey = req.headers.apikey ?? url.searchParams.get("apikey") ?? bearer(req.headers.authorization);
    if (!apikey) {
      return reply(req, res, 401, { message: "No API key found in request", hint: "No `apikey` request header or url param was found." });
    }
    const role = ROLE_BY_KEY.get(String(apikey));
    if (!role) return void reply(req, res, 401, { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." });
    const token = bearer(req.headers.authorization);
    if (!token || ROLE_BY_KEY.has(token)) headers.authorization = `Bearer ${roleToken(role)}`;
  }
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  headers["x-forwarded-host"] = req.headers.host ?? "";
  headers["x-forwarded-proto"] = "http";

  const upstream = http.request(
    { host: HOST, port: upstreamPort, method: req.method, path: path + url.search, headers },
    (up) => {
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(up.headers)) {
        if (!HOP_BY_HOP.has(name) && !name.startsWith("access-control-") && value !== undefined) out[name] = value;
      }
      res.writeHead(up.statusCode ?? 502, { ...out, ...corsHeaders(req) });
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) reply(req, res, 502, { message: "An invalid response was received from the upstream server" });
    else res.destroy();
  });
  req.pipe(upstream);
});

server.keepAliveTimeout = 65_000;
server.listen(port, HOST, () => console.log(`gateway listening on http://${HOST}:${port} → auth on :${upstreamPort}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
