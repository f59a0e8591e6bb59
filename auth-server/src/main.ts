#!/usr/bin/env node
// A GoTrue-compatible auth server for the local stack, for machines where the real
// Supabase Auth (GoTrue) cannot be had. It implements what the app, the tests, the scripts,
// supabase-js and @supabase/ssr use — and answers those requests as GoTrue v2.196.0 does,
// in status, error code and fields (auth-server/test/integration/differential.test.ts checks it
// against the real server; auth-server/README.md has the table):
//   GET /health, GET /settings, GET /.well-known/jwks.json, POST /signup,
//   POST /token?grant_type=password|refresh_token, GET|PUT /user, POST /logout,
//   POST /verify (token hash), POST /recover, POST /resend (mail through GOTRUE_SMTP_*),
//   POST /admin/users, GET|PUT|DELETE /admin/users/{id}, and MFA with TOTP: POST /factors,
//   POST /factors/{id}/challenge, POST /factors/{id}/verify, DELETE /factors/{id}.
// Anything else is answered as GoTrue answers a route it does not know.
//
// Environment (GoTrue's names): DATABASE_URL (required; a role owning schema `auth`),
// TT_AUTH_JWT_KEY_FILE (required; {"keys":[<private ES256 JWK>]}), PORT=9999,
// HOST=127.0.0.1, API_EXTERNAL_URL (the JWT `iss`), GOTRUE_JWT_EXP=3600,
// GOTRUE_DISABLE_SIGNUP=false, GOTRUE_MAILER_AUTOCONFIRM=true, GOTRUE_PASSWORD_MIN_LENGTH=6,
// GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL=0, GOTRUE_SITE_URL, GOTRUE_MAILER_URLPATHS_*,
// GOTRUE_MAILER_OTP_EXP=86400, GOTRUE_SMTP_HOST/PORT/ADMIN_EMAIL/SENDER_NAME,
// GOTRUE_SMTP_MAX_FREQUENCY=60s, GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED=true,
// GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD=false. Others GoTrue reads are
// accepted and unused.
//
// Logs: one "listening" line; unexpected errors with their stack. Never bodies or tokens.
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";

import { loadOrCreateSigningKey, publicJwk, signJwt, verifyJwt, type SigningJwk } from "./jwt.ts";
import { adminCreateUser, adminDeleteUser, adminGetUser, adminUpdateUser } from "./admin.ts";
import { loadConfig, type Deps } from "./deps.ts";
import { MethodNotAllowed, RouteNotFound, requestedApiVersion, sendError, sendJson } from "./errors.ts";
import { clientIp, type Ctx } from "./http.ts";
import { hashPassword } from "./passwords.ts";
import { ensureSchema } from "./schema.ts";
import { challengeFactor, enrollFactor, unenrollFactor, verifyFactor } from "./mfa.ts";
import { logout, requireAdmin, requireAuthentication } from "./sessions.ts";
import { token } from "./tokens.ts";
import { getUser, signup, updateUser } from "./users.ts";
import { recover, resend, verify } from "./verify.ts";

type Handler = (ctx: Ctx, param: string) => unknown;

function health(ctx: Ctx) {
  sendJson(ctx.res, 200, { version: "tt-local", name: "GoTrue", description: "GoTrue-compatible local auth server" });
}

// GoTrue's ProviderSettings, in its order; only email is on here.
const PROVIDERS = [
  "anonymous_users", "apple", "azure", "bitbucket", "discord", "facebook", "snapchat", "figma", "fly", "github", "gitlab",
  "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack", "slack_oidc", "workos",
  "twitch", "twitter", "email", "phone", "zoom",
];

function settings(ctx: Ctx) {
  const { config } = ctx.deps;
  sendJson(ctx.res, 200, {
    external: Object.fromEntries(PROVIDERS.map((p) => [p, p === "email"])),
    disable_signup: config.disableSignup,
    mailer_autoconfirm: config.mailerAutoconfirm,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

function jwks(ctx: Ctx) {
  sendJson(ctx.res, 200, { keys: [publicJwk(ctx.deps.signingKey)] }, { "Cache-Control": "public, max-age=600" });
}

/**
 * The routes, with the guard GoTrue's router runs before it looks at the method: /admin/*
 * needs admin credentials even for a path it does not know; /user authenticates first.
 */
const ROUTES: { pattern: RegExp; guard?: "admin" | "user"; methods: Record<string, Handler> }[] = [
  { pattern: /^\/health$/, methods: { GET: health } },
  { pattern: /^\/settings$/, methods: { GET: settings } },
  { pattern: /^\/\.well-known\/jwks\.json$/, methods: { GET: jwks } },
  { pattern: /^\/signup$/, methods: { POST: signup } },
  { pattern: /^\/token$/, methods: { POST: token } },
  { pattern: /^\/verify$/, methods: { POST: verify } },
  { pattern: /^\/recover$/, methods: { POST: recover } },
  { pattern: /^\/resend$/, methods: { POST: resend } },
  { pattern: /^\/user$/, guard: "user", methods: { GET: getUser, PUT: updateUser } },
  { pattern: /^\/logout$/, methods: { POST: logout } },
  { pattern: /^\/factors$/, guard: "user", methods: { POST: enrollFactor } },
  { pattern: /^\/factors\/([^/]+)$/, guard: "user", methods: { DELETE: unenrollFactor } },
  { pattern: /^\/factors\/([^/]+)\/challenge$/, guard: "user", methods: { POST: challengeFactor } },
  { pattern: /^\/factors\/([^/]+)\/verify$/, guard: "user", methods: { POST: verifyFactor } },
  { pattern: /^\/admin\/users$/, guard: "admin", methods: { POST: adminCreateUser } },
  { pattern: /^\/admin\/users\/([^/]+)$/, guard: "admin", methods: { GET: adminGetUser, PUT: adminUpdateUser, DELETE: adminDeleteUser } },
];
// Endpoints GoTrue has on a route this server serves, left out here: answered like unknown routes.
const LEFT_OUT = new Set(["GET /admin/users", "GET /verify"]);

async function route(ctx: Ctx) {
  const method = ctx.req.method ?? "GET";
  const isAdminPath = ctx.path === "/admin" || ctx.path.startsWith("/admin/");
  if (isAdminPath) await requireAdmin(ctx);
  for (const r of ROUTES) {
    const m = r.pattern.exec(ctx.path);
    if (!m) continue;
    const handler = Object.hasOwn(r.methods, method) ? r.methods[method] : undefined;
    if (!handler) {
      if (LEFT_OUT.has(`${method} ${ctx.path}`)) throw new RouteNotFound();
      if (r.guard === "user") await requireAuthentication(ctx);
      throw new MethodNotAllowed();
    }
    let param = m[1] ?? "";
    try {
      param = decodeURIComponent(param);
    } catch {
      // not valid percent-encoding: refused later as not a UUID
    }
    await handler(ctx, param);
    return;
  }
  throw new RouteNotFound();
}

function createServer(deps: Deps) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://auth.local");
    const ctx: Ctx = {
      req,
      res,
      url,
      // chi treats "/user/" like "/user".
      path: url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname,
      apiVersion: requestedApiVersion(req.headers["x-supabase-api-version"]),
      requestId: randomUUID(),
      ip: clientIp(req),
      userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : null,
      deps,
    };
    try {
      await route(ctx);
      if (!res.headersSent && !res.destroyed) throw new Error(`the handler for ${req.method} ${ctx.path} sent no answer`);
    } catch (err) {
      try {
        sendError(res, err, { apiVersion: ctx.apiVersion, requestId: ctx.requestId, what: `${req.method} ${ctx.path}` });
      } catch (sendErr) {
        console.error("auth server: failed to answer a request:", (sendErr as Error)?.stack ?? String(sendErr));
        res.destroy();
      }
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.on("clientError", (_err, socket) => {
    if (socket.writable && !socket.writableEnded) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

function fatal(message: string): never {
  console.error(`auth server: ${message}`);
  process.exit(1);
}

/** The ES256 signing key, checked by one round trip before any traffic. */
function loadSigningKey(path: string): SigningJwk {
  let jwk: SigningJwk;
  try {
    jwk = loadOrCreateSigningKey(path);
  } catch (err) {
    return fatal(`cannot read the signing key file ${path}: ${(err as Error).message}`);
  }
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d || !jwk.x || !jwk.y || !jwk.kid) fatal(`${path} must hold {"keys":[<private EC P-256 JWK with a kid>]}`);
  const probe = signJwt({ exp: Math.floor(Date.now() / 1000) + 60 }, jwk);
  if (!verifyJwt(probe, jwk)) fatal(`the signing key in ${path} is unusable`);
  return jwk;
}

async function main() {
  const { config, problems } = loadConfig(process.env);
  if (problems.length > 0) fatal(`invalid configuration:\n  ${problems.join("\n  ")}`);
  const signingKey = loadSigningKey(config.keyFile);
  const sql = postgres(config.databaseUrl, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { application_name: "tt-local-auth-server" },
    onnotice: () => {}, // "already exists, skipping" from the schema script
    transform: { undefined: null },
  });
  try {
    await ensureSchema(sql);
  } catch (err) {
    // The driver's messages never include the password.
    await sql.end({ timeout: 1 }).catch(() => {});
    fatal(`could not prepare the auth schema: ${(err as Error)?.stack ?? String(err)}`);
  }
  const dummyHash = await hashPassword(randomBytes(16).toString("hex"));
  const server = createServer({ config, sql, signingKey, dummyHash });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 10_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 3_000).unref();
    await closed;
    await sql.end({ timeout: 5 }).catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Handlers catch their own errors; one bad request must never take the server down.
  process.on("unhandledRejection", (err) => console.error("auth server: unhandled rejection:", (err as Error)?.stack ?? String(err)));
  process.on("uncaughtException", (err) => console.error("auth server: uncaught exception:", err?.stack ?? String(err)));
  server.on("error", (err) => fatal(`cannot listen on ${config.host}:${config.port}: ${err.message}`));
  server.listen(config.port, config.host, () => console.log(`auth server listening on http://${config.host}:${config.port}`));
}

main().catch((err) => fatal(`failed to start: ${(err as Error)?.stack ?? String(err)}`));
