#!/usr/bin/env node
// A GoTrue-compatible auth server for the local stack.
//
// Why it exists: the project runs real Supabase Auth semantics locally, but the
// GoTrue binary cannot be fetched on our machines (the Go module proxy refuses
// github.com/supabase/auth). This is a faithful re-implementation of the part of
// GoTrue's HTTP API that @supabase/supabase-js (auth-js) and @supabase/ssr use for
// email + password auth, on the same `auth` schema (see auth-schema.sql), with the
// same JSON shapes, error codes and messages, token claims and refresh-token
// rotation rules as GoTrue v2.18x. Where it deliberately differs, a comment says so.
//
// It listens on HOST:PORT behind the gateway, which maps
// http://127.0.0.1:54321/auth/v1/<path> to http://127.0.0.1:9999/<path>.
//
// Dependencies: node built-ins, the `postgres` driver and ./jwt.mjs only.
//
// Environment:
//   DATABASE_URL                (required) role owning schema `auth`
//   TT_AUTH_JWT_KEY_FILE        (required) {"keys":[<private ES256 JWK with kid>]}
//   PORT=9999  HOST=127.0.0.1
//   API_EXTERNAL_URL=http://127.0.0.1:54321/auth/v1   (the JWT `iss`)
//   GOTRUE_SITE_URL=http://localhost:3000
//   GOTRUE_JWT_EXP=3600  GOTRUE_DISABLE_SIGNUP=false  GOTRUE_MAILER_AUTOCONFIRM=true
//   GOTRUE_PASSWORD_MIN_LENGTH=6
//
// Logging: one "listening" line on stdout; unexpected errors (with stack) on stderr.
// Request bodies, passwords and tokens are never logged.

import http from "node:http";
import { isIP } from "node:net";
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { loadOrCreateSigningKey, publicJwk, signJwt, verifyJwt } from "./jwt.ts";

// ---------------------------------------------------------------------------
// Constants that mirror GoTrue's defaults
// ---------------------------------------------------------------------------

const NIL_UUID = "00000000-0000-0000-0000-000000000000"; // GoTrue's instance_id
const AUDIENCE = "authenticated"; // GOTRUE_JWT_AUD default
const DEFAULT_ROLE = "authenticated"; // GOTRUE_JWT_DEFAULT_GROUP_NAME in Supabase
const ADMIN_ROLES = ["service_role", "supabase_admin"]; // GOTRUE_JWT_ADMIN_ROLES default
const API_VERSION_HEADER = "X-Supabase-Api-Version";
const API_VERSION_2024 = "2024-01-01";
// GoTrue's GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL default: a revoked refresh
// token may still be exchanged this many seconds after it was rotated, so that a
// client that lost the response of a refresh (or several tabs refreshing at once)
// is not logged out.
const REFRESH_TOKEN_REUSE_INTERVAL_S = 10;
// bcrypt only looks at 72 bytes, so GoTrue refuses longer passwords; we keep the
// rule so that behaviour is identical (and it bounds the cost of hashing).
const MAX_PASSWORD_BYTES = 72;
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 1000;
// Deeply nested metadata is almost certainly abuse; Postgres' jsonb would also
// refuse it with an obscure "stack depth" error.
const MAX_METADATA_DEPTH = 100;

// checkmail.ValidateFormat's pattern, which GoTrue uses to validate addresses.
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// GoTrue's bearerRegexp: exactly one space, a token without whitespace.
const BEARER_PATTERN = /^[Bb]earer (\S+)$/;

// Password hashes: GoTrue uses bcrypt, which Node lacks, so scrypt with a
// self-describing format (parameters travel with the hash, so they can be raised
// later without invalidating stored hashes).
const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 };
const SCRYPT_KEY_BYTES = 32;
const SCRYPT_PATTERN = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/** Reads and validates the environment; exits with a message on bad configuration. */
function loadConfig(env) {
  const problems = [];
  const int = (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d+$/.test(raw.trim())) {
      problems.push(`${name} must be an integer, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    const n = Number(raw.trim());
    if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}`);
    return n;
  };
  // Same spellings Go's strconv.ParseBool (used by GoTrue's envconfig) accepts.
  const bool = (name, fallback) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const v = raw.trim();
    if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
    if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  };
  const url = (name, fallback) => {
    const raw = env[name] || fallback;
    try {
      new URL(raw);
    } catch {
      problems.push(`${name} must be an absolute URL`);
    }
    return raw.replace(/\/+$/, "");
  };

  const config = {
    port: int("PORT", 9999, 1, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl: env.DATABASE_URL,
    keyFile: env.TT_AUTH_JWT_KEY_FILE,
    issuer: url("API_EXTERNAL_URL", "http://127.0.0.1:54321/auth/v1"),
    // Accepted for parity with GoTrue's configuration; this server sends no email
    // and performs no redirects, so nothing reads it yet.
    siteUrl: url("GOTRUE_SITE_URL", "http://localhost:3000"),
    jwtExp: int("GOTRUE_JWT_EXP", 3600, 30, 7 * 24 * 3600),
    disableSignup: bool("GOTRUE_DISABLE_SIGNUP", false),
    mailerAutoconfirm: bool("GOTRUE_MAILER_AUTOCONFIRM", true),
    // GoTrue raises anything below 6 to 6, and so do we.
    passwordMinLength: Math.max(6, int("GOTRUE_PASSWORD_MIN_LENGTH", 6, 0, MAX_PASSWORD_BYTES)),
  };
  if (!config.databaseUrl) problems.push("DATABASE_URL is required");
  if (!config.keyFile) problems.push("TT_AUTH_JWT_KEY_FILE is required");
  if (problems.length > 0) {
    console.error(`auth server: invalid configuration:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  return config;
}

/** Loads the ES256 signing key and checks it is usable before we accept traffic. */
function loadSigningKey(path) {
  let jwk;
  try {
    jwk = loadOrCreateSigningKey(path);
  } catch (err) {
    console.error(`auth server: cannot read the signing key file ${path}: ${err.message}`);
    process.exit(1);
  }
  if (!jwk || jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d || !jwk.x || !jwk.y || !jwk.kid) {
    console.error(`auth server: ${path} must hold {"keys":[<private EC P-256 JWK with a kid>]}`);
    process.exit(1);
  }
  try {
    // Round-trip once so a corrupt key fails now rather than on the first sign-in.
    const probe = signJwt({ exp: Math.floor(Date.now() / 1000) + 60 }, jwk);
    if (!verifyJwt(probe, jwk)) throw new Error("signature did not verify");
  } catch (err) {
    console.error(`auth server: the signing key in ${path} is unusable: ${err.message}`);
    process.exit(1);
  }
  return jwk;
}

// ---------------------------------------------------------------------------
// Errors, in GoTrue's shapes
// ---------------------------------------------------------------------------

/** GoTrue's HTTPError: an HTTP status, an error code and a human message. */
class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra; // e.g. weak_password, for the body
  }
}

/** GoTrue's OAuthError (RFC 6749 style), used by a few /token failures. */
class OAuthError extends Error {
  constructor(error, description) {
    super(description);
    this.error = error;
    this.description = description;
  }
}

const badRequest = (code, message, extra) => new ApiError(400, code, message, extra);
const badJson = (detail) =>
  new ApiError(400, "bad_json",
    detail ? `Could not parse request body as JSON: ${detail}` : "Could not parse request body as JSON");

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const isPlainObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isUuid = (v) => typeof v === "string" && UUID_PATTERN.test(v);
const iso = (d) => (d instanceof Date ? d.toISOString() : d == null ? undefined : new Date(d).toISOString());
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Go's name for a JSON value's kind, for json.Unmarshal-like error messages. */
function jsonKind(v) {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

/**
 * Reads one field of a parsed JSON body with Go's json.Unmarshal semantics: an
 * absent field or `null` is the zero value (undefined here); a value of the wrong
 * type fails the whole request with bad_json, as it does in GoTrue.
 */
function field(body, name, type) {
  if (!Object.hasOwn(body, name)) return undefined;
  const v = body[name];
  if (v === null) return undefined;
  const ok =
    type === "object" ? isPlainObject(v) : type === "string" ? typeof v === "string" : typeof v === type;
  if (!ok) {
    const goType = type === "object" ? "map[string]interface {}" : type === "boolean" ? "bool" : type;
    throw badJson(`json: cannot unmarshal ${jsonKind(v)} into Go struct field .${name} of type ${goType}`);
  }
  return v;
}

/** Rejects metadata Postgres' jsonb cannot store or that is absurdly deep. */
function checkMetadata(value, name) {
  const walk = (v, depth) => {
    if (depth > MAX_METADATA_DEPTH) throw badRequest("validation_failed", `${name} is nested too deeply`);
    if (typeof v === "string") {
      // jsonb rejects NUL characters (and lone surrogates, which JSON.stringify
      // escapes as \udXXX and Postgres then refuses).
      if (/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v)) {
        throw badRequest("validation_failed", `${name} contains characters that cannot be stored`);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
    } else if (isPlainObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        walk(k, depth + 1);
        walk(item, depth + 1);
      }
    }
  };
  walk(value, 0);
  return value;
}

/**
 * GoTrue's UpdateUserMetaData / UpdateAppMetaData: keys in `updates` overwrite,
 * keys set to null are removed, other keys stay. Built through a Map and
 * Object.fromEntries so a "__proto__" key is an ordinary property, never a
 * prototype change.
 */
function mergeMetadata(current, updates) {
  const merged = new Map(Object.entries(isPlainObject(current) ? current : {}));
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  return Object.fromEntries(merged);
}

/** GoTrue's validateEmail: required, at most 255 bytes, checkmail's format; lowercased. */
function validateEmail(raw) {
  // Deliberate leniency (requested for this project): surrounding whitespace is
  // trimmed, where GoTrue would reject the address as invalid.
  const email = (raw ?? "").trim();
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (Buffer.byteLength(email, "utf8") > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_PATTERN.test(email)) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return email.toLowerCase();
}

/** GoTrue's checkPasswordStrength (length rules; no HIBP or character classes here). */
function checkPasswordStrength(password, minLength) {
  // Go's len() counts bytes, so both limits are in UTF-8 bytes.
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes > MAX_PASSWORD_BYTES) {
    throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if (bytes < minLength) {
    const message = `Password should be at least ${minLength} characters.`;
    throw new ApiError(422, "weak_password", message, { weak_password: { reasons: ["length"] }, weakMessage: message });
  }
}

/** Parses a Go time.Duration string ("24h", "1h30m", "90s", "0"); returns milliseconds. */
function parseGoDuration(s) {
  if (s === "0") return 0;
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  const unitMs = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  let total = 0;
  for (const [, num, unit] of m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(num) * unitMs[unit];
  }
  if (!Number.isFinite(total) || total > 2 ** 53) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  return m[1] === "-" ? -total : total;
}

// ---------------------------------------------------------------------------
// Passwords (scrypt, off the event loop)
// ---------------------------------------------------------------------------

function scryptAsync(password, salt, keylen, options) {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const b64 = (buf) => buf.toString("base64").replace(/=+$/, "");

async function hashPassword(password) {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT_KEY_BYTES, { N, r, p, maxmem: 256 * N * r });
  return `$scrypt$N=${N},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

/**
 * Parses a stored hash; null if it is not one of ours or its parameters are out
 * of bounds (a hash can come from the admin API's password_hash, so its cost
 * must be capped before we spend CPU and memory on it).
 */
function parseScryptHash(stored) {
  const m = typeof stored === "string" ? SCRYPT_PATTERN.exec(stored) : null;
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4], "base64");
  const key = Buffer.from(m[5], "base64");
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16 || N * r > 2 ** 22) return null;
  if (salt.length < 8 || key.length < 16 || key.length > 64) return null;
  return { N, r, p, salt, key };
}

async function verifyPassword(password, stored) {
  const parsed = parseScryptHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = await scryptAsync(password, salt, key.length, { N, r, p, maxmem: 256 * N * r });
  return timingSafeEqual(candidate, key);
}

// ---------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------

const CORS_ALLOWED_HEADERS = [
  "authorization", "apikey", "content-type", "x-client-info", "x-supabase-api-version",
  "accept", "x-client-ip", "x-jwt-aud", "x-use-cookie",
].join(", ");
const CORS_EXPOSED_HEADERS = "X-Total-Count, Link, X-Supabase-Api-Version";
const CORS_ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

/**
 * GoTrue answers errors in the format of the API version the client asked for:
 * requests with X-Supabase-Api-Version >= 2024-01-01 (auth-js always sends it)
 * get {code: "<error_code>", message}; older clients and plain curl get the
 * legacy {code: <status>, error_code, msg}. auth-js understands both.
 */
function requestedApiVersion(req) {
  const raw = req.headers["x-supabase-api-version"];
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return "initial";
  const parsed = new Date(`${raw}T00:00:00Z`);
  // Go's time.Parse rejects impossible dates like 2024-02-30; so do we.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== raw) return "initial";
  return raw >= API_VERSION_2024 ? API_VERSION_2024 : "initial";
}

function setCommonHeaders(req, res) {
  // Sent on every response (GoTrue only echoes it back on errors): auth-js uses it
  // to know it may read `code` as the error code.
  res.setHeader(API_VERSION_HEADER, API_VERSION_2024);
  const origin = req.headers.origin;
  if (origin) {
    // Like GoTrue's rs/cors setup: every origin, with credentials, which means
    // reflecting the request's Origin rather than "*".
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
    res.setHeader("Vary", "Origin");
  }
}

function sendJson(res, status, body, headers = {}) {
  if (res.headersSent || res.destroyed) return;
  const payload = status === 204 ? undefined : JSON.stringify(body);
  const finalHeaders = { ...headers };
  if (payload !== undefined) {
    finalHeaders["Content-Type"] = "application/json";
    finalHeaders["Content-Length"] = Buffer.byteLength(payload);
  }
  res.writeHead(status, finalHeaders);
  res.end(payload);
}

/** Writes `err` in GoTrue's format; anything unexpected becomes a logged 500. */
function sendError(ctx, err) {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return;

  if (err instanceof OAuthError) {
    sendJson(res, 400, { error: err.error, error_description: err.description });
    return;
  }

  let apiError = err;
  if (!(err instanceof ApiError)) {
    // Postgres "data exception" errors (class 22: value too long, bad encoding,
    // out of range, …) can only come from request data, so they are the
    // client's fault, not a 500.
    if (typeof err?.code === "string" && err.code.startsWith("22")) {
      apiError = badRequest("validation_failed", "The request contains a value that cannot be stored");
    } else {
      // Stack only: never the request, its body or query parameters (tokens).
      console.error(`auth server: unexpected error (error_id ${ctx.requestId}) on ${ctx.req.method} ${ctx.path}:`,
        err?.stack || String(err));
      apiError = new ApiError(500, "unexpected_failure",
        "Unexpected failure, please check server logs for more information");
    }
  }

  const headers = { "x-sb-error-code": apiError.code };
  if (apiError.extra.closeConnection) headers.Connection = "close";
  let body;
  if (ctx.apiVersion === API_VERSION_2024) {
    body = { code: apiError.code, message: apiError.message };
  } else {
    body = { code: apiError.status, error_code: apiError.code, msg: apiError.message };
    if (apiError.status >= 500) body.error_id = ctx.requestId;
  }
  if (apiError.extra.weak_password) body.weak_password = apiError.extra.weak_password;
  sendJson(res, apiError.status, body, headers);
}

/** Reads the request body, refusing more than MAX_BODY_BYTES. */
function readBody(req) {
  const tooLarge = () =>
    new ApiError(413, "bad_json", "Could not parse request body as JSON: request body too large", { closeConnection: true });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (fn, value) => {
      if (!settled) {
        settled = true;
        fn(value);
      }
    };
    req.on("data", (chunk) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) settle(reject, tooLarge());
      else chunks.push(chunk);
    });
    req.on("end", () => settle(resolve, Buffer.concat(chunks)));
    // A client that disconnects mid-body is not a server failure: answer (if the
    // socket is still there) with bad_json instead of logging a 500.
    const incomplete = () => badJson("request body is incomplete");
    req.on("error", () => settle(reject, incomplete()));
    req.on("close", () => settle(reject, incomplete()));
  });
}

/**
 * Parses the body as GoTrue's retrieveRequestParams does: any content type, JSON
 * required; `null` means "no parameters"; anything but an object is rejected.
 */
async function readJson(ctx, { allowEmpty = false } = {}) {
  const raw = await readBody(ctx.req);
  if (raw.length === 0) {
    if (allowEmpty) return {};
    throw badJson("unexpected end of JSON input");
  }
  let parsed;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    // Includes RangeError from absurd nesting; the message never echoes input
    // beyond a token position.
    throw badJson(err instanceof SyntaxError ? "invalid character in JSON input" : "JSON input is too deeply nested");
  }
  if (parsed === null) return {};
  if (!isPlainObject(parsed)) throw badJson(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type object`);
  return parsed;
}

/** The caller's address as GoTrue records it (X-Forwarded-For first, as behind the gateway). */
function clientIp(req) {
  const forwarded = req.headers["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0].trim() : "";
  if (first && isIP(first)) return first;
  const remote = req.socket?.remoteAddress;
  return remote && isIP(remote) ? remote : null;
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

function createAuthServer({ config, sql, signingKey, dummyHash }) {
  // ---- database access -----------------------------------------------------

  /** Runs fn in a transaction, retrying on deadlock/serialization failure. */
  async function withTx(fn) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await sql.begin(fn);
      } catch (err) {
        if ((err?.code === "40P01" || err?.code === "40001") && attempt < 3) continue;
        throw err;
      }
    }
  }

  async function findUserById(db, id) {
    const [row] = await db`select * from auth.users where id = ${id}`;
    if (!row) return null;
    const identities = await db`
      select * from auth.identities where user_id = ${id} order by created_at, id`;
    return { row, identities };
  }

  async function findUserIdByEmail(db, email, aud = AUDIENCE) {
    const [row] = await db`
      select id from auth.users
      where lower(email) = ${email} and aud = ${aud} and is_sso_user = false`;
    return row?.id ?? null;
  }

  const isBanned = (row) => row.banned_until instanceof Date && row.banned_until.getTime() > Date.now();

  // ---- JSON shapes -----------------------------------------------------------

  function identityJson(i) {
    const out = {
      identity_id: i.id,
      id: i.provider_id,
      user_id: i.user_id,
      identity_data: i.identity_data ?? {},
      provider: i.provider,
    };
    if (i.last_sign_in_at) out.last_sign_in_at = iso(i.last_sign_in_at);
    out.created_at = iso(i.created_at);
    out.updated_at = iso(i.updated_at);
    if (i.email) out.email = i.email;
    return out;
  }

  /** GoTrue's models.User JSON: same keys, same order, omitempty where Go omits. */
  function userJson({ row: u, identities }) {
    const out = { id: u.id, aud: u.aud ?? "", role: u.role ?? "", email: u.email ?? "" };
    if (u.email_confirmed_at) out.email_confirmed_at = iso(u.email_confirmed_at);
    if (u.invited_at) out.invited_at = iso(u.invited_at);
    out.phone = u.phone ?? "";
    if (u.phone_confirmed_at) out.phone_confirmed_at = iso(u.phone_confirmed_at);
    if (u.confirmation_sent_at) out.confirmation_sent_at = iso(u.confirmation_sent_at);
    if (u.confirmed_at) out.confirmed_at = iso(u.confirmed_at);
    if (u.recovery_sent_at) out.recovery_sent_at = iso(u.recovery_sent_at);
    if (u.email_change) out.new_email = u.email_change;
    if (u.email_change_sent_at) out.email_change_sent_at = iso(u.email_change_sent_at);
    if (u.phone_change) out.new_phone = u.phone_change;
    if (u.phone_change_sent_at) out.phone_change_sent_at = iso(u.phone_change_sent_at);
    if (u.reauthentication_sent_at) out.reauthentication_sent_at = iso(u.reauthentication_sent_at);
    if (u.last_sign_in_at) out.last_sign_in_at = iso(u.last_sign_in_at);
    out.app_metadata = u.raw_app_meta_data ?? {};
    out.user_metadata = u.raw_user_meta_data ?? {};
    out.identities = identities.map(identityJson);
    out.created_at = iso(u.created_at);
    out.updated_at = iso(u.updated_at);
    if (u.banned_until) out.banned_until = iso(u.banned_until);
    if (u.deleted_at) out.deleted_at = iso(u.deleted_at);
    out.is_anonymous = u.is_anonymous === true;
    return out;
  }

  // ---- sessions and tokens ----------------------------------------------------

  /** Unguessable, URL-safe refresh token (GoTrue uses 12 random alphanumerics). */
  const newRefreshToken = () => randomBytes(16).toString("base64url");

  async function insertRefreshToken(tx, { userId, sessionId, parent }) {
    const token = newRefreshToken();
    await tx`
      insert into auth.refresh_tokens
        (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
      values (${NIL_UUID}, ${token}, ${userId}, false, now(), now(), ${parent}, ${sessionId})`;
    return token;
  }

  /**
   * Signs the access token and builds the session response (GoTrue's
   * AccessTokenResponse). Claims are exactly GoTrue's, in GoTrue's order.
   */
  async function sessionResponse(tx, user, { sessionId, aal, refreshToken, weakPassword }) {
    const amrRows = await tx`
      select authentication_method, floor(extract(epoch from updated_at))::float8 as ts
      from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at`;
    const iat = nowSeconds();
    const exp = iat + config.jwtExp;
    const u = user.row;
    const claims = {
      iss: config.issuer,
      sub: u.id,
      aud: u.aud || AUDIENCE,
      exp,
      iat,
      email: u.email ?? "",
      phone: u.phone ?? "",
      app_metadata: u.raw_app_meta_data ?? {},
      user_metadata: u.raw_user_meta_data ?? {},
      role: u.role || DEFAULT_ROLE,
      aal: aal || "aal1",
      amr: amrRows.map((a) => ({ method: a.authentication_method, timestamp: Number(a.ts) })),
      session_id: sessionId,
      is_anonymous: u.is_anonymous === true,
    };
    const body = {
      access_token: signJwt(claims, signingKey),
      token_type: "bearer",
      expires_in: config.jwtExp,
      expires_at: exp,
      refresh_token: refreshToken,
      user: userJson(user),
    };
    if (weakPassword) body.weak_password = weakPassword;
    return body;
  }

  /** GoTrue's IssueRefreshToken: a new session, its first refresh token, an access token. */
  async function issueSession(tx, ctx, userId, method, weakPassword) {
    const sessionId = randomUUID();
    await tx`
      insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
      values (${sessionId}, ${userId}, now(), now(), 'aal1', ${ctx.userAgent}, ${ctx.ip})`;
    await tx`
      insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
      values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
      on conflict (session_id, authentication_method) do update set updated_at = excluded.updated_at`;
    const refreshToken = await insertRefreshToken(tx, { userId, sessionId, parent: null });
    await tx`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
    const user = await findUserById(tx, userId);
    return sessionResponse(tx, user, { sessionId, aal: "aal1", refreshToken, weakPassword });
  }

  // ---- access-token checks ------------------------------------------------------

  /** golang-jwt style reason for a token verifyJwt refused, for the bad_jwt message. */
  function jwtFailureReason(token) {
    const parts = token.split(".");
    if (parts.length !== 3) return "token is malformed: token contains an invalid number of segments";
    let header;
    try {
      header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    } catch {
      return "token is malformed: could not JSON decode header";
    }
    if (!isPlainObject(header)) return "token is malformed: could not JSON decode header";
    if (header.alg !== "ES256") return `token is unverifiable: signing method ${String(header.alg)} is invalid`;
    if (header.kid !== signingKey.kid) return "token is unverifiable: error while executing keyfunc: invalid kid";
    let payload;
    try {
      payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    } catch {
      return "token is malformed: could not JSON decode claim";
    }
    // verifyJwt insists on a numeric exp (golang-jwt would accept its absence).
    if (!isPlainObject(payload) || typeof payload.exp !== "number") {
      return "token has invalid claims: token is missing required claim: exp claim is required";
    }
    // A signature that verifies once expiry is ignored means the token merely expired.
    if (verifyJwt(token, signingKey, Number.NEGATIVE_INFINITY)) return "token has invalid claims: token is expired";
    return "token signature is invalid: crypto/ecdsa: verification error";
  }

  function bearerToken(req) {
    const m = BEARER_PATTERN.exec(req.headers.authorization ?? "");
    if (!m) throw new ApiError(401, "no_authorization", "This endpoint requires a Bearer token");
    return m[1];
  }

  /** Verifies an access token's signature and time claims; returns its claims. */
  function verifyAccessToken(token) {
    const claims = verifyJwt(token, signingKey);
    if (!claims || !isPlainObject(claims)) {
      throw new ApiError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${jwtFailureReason(token)}`);
    }
    if (typeof claims.nbf === "number" && claims.nbf > nowSeconds()) {
      throw new ApiError(403, "bad_jwt",
        "invalid JWT: unable to parse or verify signature, token has invalid claims: token is not valid yet");
    }
    return claims;
  }

  /**
   * GoTrue's requireAuthentication: a valid token, whose user still exists and
   * whose session (if the token names one) has not been logged out.
   */
  async function requireAuthentication(ctx) {
    const claims = verifyAccessToken(bearerToken(ctx.req));
    if (typeof claims.sub !== "string" || claims.sub === "") {
      throw new ApiError(403, "bad_jwt", "invalid claim: missing sub claim");
    }
    if (!isUuid(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
    const user = await findUserById(sql, claims.sub.toLowerCase());
    if (!user) throw new ApiError(403, "user_not_found", "User from sub claim in JWT does not exist");

    let session = null;
    const sid = claims.session_id;
    if (sid !== undefined && sid !== "" && sid !== NIL_UUID) {
      if (!isUuid(sid)) throw new ApiError(403, "bad_jwt", "invalid claim: session_id claim must be a UUID");
      [session] = await sql`select id, user_id, aal, created_at from auth.sessions where id = ${sid.toLowerCase()}`;
      if (!session) {
        throw new ApiError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
      }
    }
    return { claims, user, session };
  }

  /** GoTrue's requireAdminCredentials: a valid JWT whose role is an admin role. */
  function requireAdmin(ctx) {
    const claims = verifyAccessToken(bearerToken(ctx.req));
    if (!ADMIN_ROLES.includes(claims.role)) throw new ApiError(403, "not_admin", "User not allowed");
    return claims;
  }

  /** Loads the :id of /admin/users/:id as GoTrue's loadUser middleware does. */
  async function loadUserParam(rawId) {
    if (!isUuid(rawId)) throw new ApiError(404, "validation_failed", "user_id must be an UUID");
    const user = await findUserById(sql, rawId.toLowerCase());
    if (!user) throw new ApiError(404, "user_not_found", "User not found");
    return user;
  }

  // ---- handlers: public ------------------------------------------------------------

  function health(ctx) {
    sendJson(ctx.res, 200, {
      version: "tt-local",
      name: "GoTrue",
      description: "GoTrue-compatible local auth server",
    });
  }

  function settings(ctx) {
    const external = Object.fromEntries(
      ["anonymous_users", "apple", "azure", "bitbucket", "discord", "facebook", "figma", "fly", "github",
        "gitlab", "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack",
        "slack_oidc", "workos", "twitch", "twitter", "email", "phone", "zoom"].map((p) => [p, p === "email"]),
    );
    sendJson(ctx.res, 200, {
      external,
      disable_signup: config.disableSignup,
      mailer_autoconfirm: config.mailerAutoconfirm,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    });
  }

  function jwks(ctx) {
    sendJson(ctx.res, 200, { keys: [publicJwk(signingKey)] }, { "Cache-Control": "public, max-age=600" });
  }

  /** The identity GoTrue creates for an email user (identity_data = provider claims + data). */
  function emailIdentityData(userId, email, emailVerified, data = {}) {
    const claims = { sub: userId, email, email_verified: emailVerified, phone_verified: false };
    return { ...data, ...claims };
  }

  async function insertEmailIdentity(tx, userId, identityData) {
    await tx`
      insert into auth.identities
        (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
      values (${randomUUID()}, ${userId}, ${userId}, ${sql.json(identityData)}, 'email', now(), now(), now())`;
  }

  /** A unique violation on the email index means the address was taken concurrently. */
  const isEmailConflict = (err) => err?.code === "23505" && /email/.test(err.constraint_name ?? "");

  async function signup(ctx) {
    const body = await readJson(ctx);
    const rawEmail = field(body, "email", "string");
    const phone = field(body, "phone", "string");
    const password = field(body, "password", "string") ?? "";
    const data = checkMetadata(field(body, "data", "object") ?? {}, "data");

    // Same order of checks as GoTrue's router and Signup handler.
    if (!rawEmail && !phone) throw new ApiError(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    if (config.disableSignup) throw new ApiError(422, "signup_disabled", "Signups not allowed for this instance");
    if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
    checkPasswordStrength(password, config.passwordMinLength);
    if (rawEmail && phone) {
      throw badRequest("validation_failed", "Only an email address or phone number should be provided on signup.");
    }
    if (!rawEmail) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
    const email = validateEmail(rawEmail);

    const existing = await findUserIdByEmail(sql, email);
    if (existing) return signupExisting(ctx, email, data);

    // Hash outside the transaction: it is slow and needs no locks.
    const encrypted = await hashPassword(password);
    const userId = randomUUID();
    const confirmed = config.mailerAutoconfirm;
    const identityData = emailIdentityData(userId, email, confirmed, data);
    // Deliberately like hosted Supabase: user_metadata carries the email
    // identity's claims (sub, email, email_verified, phone_verified).
    const userMetadata = mergeMetadata(data, identityData);
    const appMetadata = { provider: "email", providers: ["email"] };

    try {
      const result = await withTx(async (tx) => {
        await tx`
          insert into auth.users
            (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_sent_at,
             raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_sso_user, is_anonymous)
          values
            (${NIL_UUID}, ${userId}, ${AUDIENCE}, ${DEFAULT_ROLE}, ${email}, ${encrypted},
             ${confirmed ? sql`now()` : null}, ${confirmed ? null : sql`now()`},
             ${sql.json(appMetadata)}, ${sql.json(userMetadata)}, false, now(), now(), false, false)`;
        await insertEmailIdentity(tx, userId, identityData);
        if (!confirmed) return { user: await findUserById(tx, userId) };
        return { session: await issueSession(tx, ctx, userId, "password") };
      });
      // Without autoconfirm GoTrue answers with the bare user (and would mail a
      // confirmation link; this server has no mailer, see the startup warning).
      sendJson(ctx.res, 200, result.session ?? userJson(result.user));
    } catch (err) {
      if (isEmailConflict(err)) return signupExisting(ctx, email, data);
      throw err;
    }
  }

  /**
   * Signup for an address that is already registered. With autoconfirm GoTrue
   * says so; without it, it answers with a fake, unconfirmed user so that signup
   * cannot be used to probe which addresses exist. (GoTrue would also re-send the
   * confirmation of an unconfirmed user, and with autoconfirm even confirm and
   * sign it in without a password check; we do neither.)
   */
  function signupExisting(ctx, email, data) {
    if (config.mailerAutoconfirm) throw new ApiError(422, "user_already_exists", "User already registered");
    const now = new Date().toISOString();
    sendJson(ctx.res, 200, {
      id: randomUUID(), aud: AUDIENCE, role: "", email, phone: "", confirmation_sent_at: now,
      app_metadata: { provider: "email", providers: ["email"] }, user_metadata: data, identities: [],
      created_at: now, updated_at: now, is_anonymous: false,
    });
  }

  async function token(ctx) {
    const grantType = ctx.url.searchParams.get("grant_type") ?? "";
    switch (grantType) {
      case "password":
        return passwordGrant(ctx);
      case "refresh_token":
        return refreshTokenGrant(ctx);
      case "pkce":
        return pkceGrant(ctx);
      default:
        throw new OAuthError("unsupported_grant_type", "");
    }
  }

  async function passwordGrant(ctx) {
    const body = await readJson(ctx);
    const rawEmail = field(body, "email", "string");
    const phone = field(body, "phone", "string");
    const password = field(body, "password", "string") ?? "";
    if (rawEmail && phone) {
      throw badRequest("validation_failed", "Only an email address or phone number should be provided on login.");
    }
    if (phone) throw new ApiError(422, "phone_provider_disabled", "Phone logins are disabled");
    if (!rawEmail) throw badRequest("validation_failed", "missing email or phone");

    const email = rawEmail.trim().toLowerCase();
    const invalid = () => badRequest("invalid_credentials", "Invalid login credentials");
    const userId = await findUserIdByEmail(sql, email);
    const user = userId ? await findUserById(sql, userId) : null;
    if (!user || !user.row.encrypted_password) {
      // Spend the same time as a real check so response timing does not reveal
      // whether the address is registered (GoTrue answers these immediately).
      await verifyPassword(password, dummyHash);
      throw invalid();
    }
    if (isBanned(user.row)) throw badRequest("user_banned", "User is banned");
    if (!(await verifyPassword(password, user.row.encrypted_password))) throw invalid();
    if (!user.row.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");

    // GoTrue signs users in even when their password no longer meets the
    // strength rules, but tells the client so.
    let weakPassword;
    try {
      checkPasswordStrength(password, config.passwordMinLength);
    } catch (err) {
      if (err instanceof ApiError && err.code === "weak_password") {
        weakPassword = { message: err.extra.weakMessage, reasons: err.extra.weak_password.reasons };
      }
    }
    const session = await withTx((tx) => issueSession(tx, ctx, user.row.id, "password", weakPassword));
    sendJson(ctx.res, 200, session);
  }

  /**
   * Refresh-token rotation, as GoTrue does it for its (non-JWT) refresh tokens:
   *  - an active token is revoked and replaced by a child (parent = old token);
   *  - a revoked token whose child is the session's active token returns that
   *    active token, at any time (the client lost the previous response, or
   *    tabs raced) — GoTrue's "fail to save" allowance;
   *  - any other revoked token also returns the active token while it is within
   *    the reuse interval of its revocation; past it, that is refresh-token
   *    reuse: the session is destroyed and the request fails with
   *    refresh_token_already_used.
   * Deliberate deviation: inside the interval GoTrue's legacy code mints a new
   * child of the old token, which leaves two live tokens in one session (a fork
   * that later makes real reuse look legitimate); we hand out the active token.
   * Everything happens in one transaction that first locks the session row, so
   * concurrent refreshes of one session are serialized and cannot fork it.
   */
  async function refreshTokenGrant(ctx) {
    const body = await readJson(ctx);
    const presented = field(body, "refresh_token", "string") ?? "";
    if (presented === "") throw new OAuthError("invalid_request", "refresh_token required");
    const notFound = () => badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");

    const outcome = await withTx(async (tx) => {
      const [found] = await tx`select id, session_id from auth.refresh_tokens where token = ${presented}`;
      if (!found) return { error: notFound() };
      if (!found.session_id) {
        // Tokens from before sessions existed cannot be refreshed (as in GoTrue).
        await tx`delete from auth.refresh_tokens where id = ${found.id}`;
        return { error: badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found") };
      }
      const [session] = await tx`
        select id, user_id, aal, (not_after is not null and not_after < clock_timestamp()) as past_not_after
        from auth.sessions where id = ${found.session_id} for update`;
      // Logged out meanwhile: the cascade removed the token as well.
      if (!session) return { error: notFound() };

      // Re-read under the lock: a concurrent refresh may just have rotated it.
      const [current] = await tx`
        select id, token, revoked,
               (updated_at + make_interval(secs => ${REFRESH_TOKEN_REUSE_INTERVAL_S}) < clock_timestamp()) as reuse_expired
        from auth.refresh_tokens where id = ${found.id}`;
      if (!current) return { error: notFound() };

      const user = await findUserById(tx, session.user_id);
      if (!user) return { error: notFound() };
      if (isBanned(user.row)) return { error: badRequest("user_banned", "Invalid Refresh Token: User Banned") };
      if (session.past_not_after) {
        return { error: badRequest("session_expired", "Invalid Refresh Token: Session Expired") };
      }

      let issued;
      if (current.revoked) {
        const [active] = await tx`
          select token, parent from auth.refresh_tokens
          where session_id = ${session.id} and revoked = false order by id desc limit 1`;
        if (active && (active.parent === current.token || !current.reuse_expired)) {
          issued = active.token;
        } else {
          // Reuse detected (or, impossibly, a session without an active token).
          // Destroying the session — what GoTrue's newer refresh-token algorithm
          // does; the legacy one only revokes the tokens — also invalidates the
          // session's access tokens at /user.
          await tx`delete from auth.sessions where id = ${session.id}`;
          return { error: badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used") };
        }
      } else {
        await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${current.id}`;
        issued = await insertRefreshToken(tx, { userId: user.row.id, sessionId: session.id, parent: current.token });
      }
      await tx`
        update auth.sessions
        set refreshed_at = timezone('utc', now()), updated_at = now(), user_agent = ${ctx.userAgent}, ip = ${ctx.ip}
        where id = ${session.id}`;
      const response = await sessionResponse(tx, user, { sessionId: session.id, aal: session.aal, refreshToken: issued });
      return { session: response };
    });
    // Failures inside the transaction are returned, not thrown, so that it
    // commits: the reuse-detection logout (and the orphan-token cleanup) must
    // stick even though the request fails. Thrown errors roll back.
    if (outcome.error) throw outcome.error;
    sendJson(ctx.res, 200, outcome.session);
  }

  /**
   * PKCE code exchange. This server issues no auth codes (no OAuth, magic links
   * or email confirmation links), so every code is unknown — the same answer
   * GoTrue gives for an unknown code.
   */
  async function pkceGrant(ctx) {
    const body = await readJson(ctx);
    const authCode = field(body, "auth_code", "string");
    const verifier = field(body, "code_verifier", "string");
    if (!authCode || !verifier) {
      throw badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
    }
    throw new ApiError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
  }

  // ---- handlers: the signed-in user ---------------------------------------------------

  async function getUser(ctx) {
    const { user } = await requireAuthentication(ctx);
    sendJson(ctx.res, 200, userJson(user));
  }

  async function updateUser(ctx) {
    const { user, session } = await requireAuthentication(ctx);
    const body = await readJson(ctx);
    const rawEmail = field(body, "email", "string");
    const phone = field(body, "phone", "string");
    const password = field(body, "password", "string");
    const data = field(body, "data", "object");
    const appData = field(body, "app_metadata", "object");
    if (data) checkMetadata(data, "data");

    const u = user.row;
    const email = rawEmail ? validateEmail(rawEmail) : undefined;
    if (password !== undefined) checkPasswordStrength(password, config.passwordMinLength);
    // GoTrue only lets users of its (unused) admin group change app_metadata.
    if (appData) throw new ApiError(403, "not_admin", "Updating app_metadata requires admin privileges");
    if (email && email !== u.email) {
      if (await findUserIdByEmail(sql, email)) {
        throw new ApiError(422, "email_exists", "A user with this email address has already been registered");
      }
      // GoTrue mails a confirmation link to the new address; without a mailer
      // the change could never complete, so refuse it clearly instead.
      throw new ApiError(422, "validation_failed",
        "Changing the email address is not supported by the local auth server (it cannot send email)");
    }
    if (phone && phone !== u.phone) throw new ApiError(422, "phone_provider_disabled", "Phone logins are disabled");

    let encrypted;
    if (password) {
      if (u.encrypted_password && (await verifyPassword(password, u.encrypted_password))) {
        throw new ApiError(422, "same_password", "New password should be different from the old password.");
      }
      encrypted = await hashPassword(password);
    }

    const updated = await withTx(async (tx) => {
      // Lock the row so concurrent metadata updates merge instead of overwriting.
      const [locked] = await tx`select raw_user_meta_data from auth.users where id = ${u.id} for update`;
      if (!locked) throw new ApiError(403, "user_not_found", "User from sub claim in JWT does not exist");
      if (encrypted) {
        await tx`update auth.users set encrypted_password = ${encrypted}, updated_at = now() where id = ${u.id}`;
        // As GoTrue's UpdatePassword: a new password ends every other session.
        if (session) await tx`delete from auth.sessions where user_id = ${u.id} and id <> ${session.id}`;
        else await tx`delete from auth.sessions where user_id = ${u.id}`;
      }
      if (data) {
        const merged = mergeMetadata(locked.raw_user_meta_data, data);
        await tx`update auth.users set raw_user_meta_data = ${sql.json(merged)}, updated_at = now() where id = ${u.id}`;
      }
      return findUserById(tx, u.id);
    });
    sendJson(ctx.res, 200, userJson(updated));
  }

  async function logout(ctx) {
    const { user, session } = await requireAuthentication(ctx);
    const scope = ctx.url.searchParams.get("scope") ?? "";
    if (!["", "global", "local", "others"].includes(scope)) {
      throw badRequest("validation_failed", `Unsupported logout scope ${JSON.stringify(scope)}`);
    }
    const userId = user.row.id;
    // Deleting sessions cascades to their refresh tokens and AMR claims.
    if (!session || scope === "" || scope === "global") {
      await sql`delete from auth.sessions where user_id = ${userId}`;
    } else if (scope === "local") {
      await sql`delete from auth.sessions where id = ${session.id}`;
    } else {
      await sql`delete from auth.sessions where user_id = ${userId} and id <> ${session.id}`;
    }
    sendJson(ctx.res, 204);
  }

  // ---- handlers: admin -------------------------------------------------------------------

  async function adminListUsers(ctx) {
    requireAdmin(ctx);
    const q = ctx.url.searchParams;
    const parsePositive = (name, fallback) => {
      const raw = q.get(name) ?? "";
      if (raw === "") return fallback;
      if (!/^\d+$/.test(raw)) {
        throw badRequest("validation_failed",
          `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`);
      }
      const n = Number(raw);
      if (n < 1 || n > 2 ** 31) throw badRequest("validation_failed", `Bad Pagination Parameters: ${name} is out of range`);
      return n;
    };
    const page = parsePositive("page", 1);
    const perPage = Math.min(parsePositive("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE);
    const filter = q.get("filter") ?? "";
    // Like GoTrue: the filter matches email or full name, as a literal substring.
    const pattern = `%${filter.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = filter
      ? sql`aud = ${AUDIENCE} and (email ilike ${pattern} or raw_user_meta_data ->> 'full_name' ilike ${pattern})`
      : sql`aud = ${AUDIENCE}`;

    const [{ count }] = await sql`select count(*)::text as count from auth.users where ${where}`;
    const rows = await sql`
      select * from auth.users where ${where}
      order by created_at desc, id desc limit ${perPage} offset ${(page - 1) * perPage}`;
    const ids = rows.map((r) => r.id);
    const identities = ids.length
      ? await sql`select * from auth.identities where user_id = any(${ids}::uuid[]) order by created_at, id`
      : [];
    const users = rows.map((row) => userJson({ row, identities: identities.filter((i) => i.user_id === row.id) }));

    // GoTrue's pagination headers: Link with next/last pages, X-Total-Count.
    const total = Number(count);
    const totalPages = Math.max(Math.ceil(total / perPage), 1);
    const linkTo = (p) => {
      const params = new URLSearchParams(q);
      params.set("page", String(p));
      params.sort(); // Go's url.Values.Encode sorts keys
      return `<${ctx.path}?${params.toString()}>`;
    };
    let link = "";
    if (totalPages > page) link += `${linkTo(page + 1)}; rel="next", `;
    link += `${linkTo(totalPages)}; rel="last"`;
    sendJson(ctx.res, 200, { users, aud: AUDIENCE }, { Link: link, "X-Total-Count": String(total) });
  }

  /** Parses ban_duration ("none" lifts a ban) into a banned_until value. */
  function banUntil(raw) {
    if (raw === undefined || raw === "") return undefined;
    if (raw === "none") return null;
    let ms;
    try {
      ms = parseGoDuration(raw);
    } catch (err) {
      throw badRequest("validation_failed", `invalid format for ban duration: ${err.message}`);
    }
    return ms === 0 ? null : new Date(Date.now() + ms);
  }

  async function adminCreateUser(ctx) {
    requireAdmin(ctx);
    const body = await readJson(ctx);
    const customId = field(body, "id", "string");
    const aud = field(body, "aud", "string") || AUDIENCE;
    const role = field(body, "role", "string") || DEFAULT_ROLE;
    const rawEmail = field(body, "email", "string");
    const phone = field(body, "phone", "string");
    let password = field(body, "password", "string");
    const passwordHash = field(body, "password_hash", "string");
    const emailConfirm = field(body, "email_confirm", "boolean") ?? false;
    field(body, "phone_confirm", "boolean");
    const userMetadata = checkMetadata(field(body, "user_metadata", "object") ?? {}, "user_metadata");
    const appMetadataParam = field(body, "app_metadata", "object");
    if (appMetadataParam) checkMetadata(appMetadataParam, "app_metadata");
    const bannedUntil = banUntil(field(body, "ban_duration", "string"));

    if (!rawEmail && !phone) {
      throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
    }
    if (phone) throw badRequest("validation_failed", "Phone numbers are not supported by the local auth server");
    const email = validateEmail(rawEmail);
    if (await findUserIdByEmail(sql, email, aud)) {
      throw new ApiError(422, "email_exists", "A user with this email address has already been registered");
    }
    if (password !== undefined && passwordHash) {
      throw badRequest("validation_failed", "Only a password or a password hash should be provided");
    }
    let encrypted;
    if (passwordHash) {
      // GoTrue accepts bcrypt/argon2/firebase-scrypt hashes; this server can only
      // verify its own scrypt format.
      if (!parseScryptHash(passwordHash)) {
        throw badRequest("validation_failed", "password_hash must be in this server's $scrypt$ format");
      }
      encrypted = passwordHash;
    } else {
      // Like GoTrue: no strength rules for admins, only the length cap; without a
      // password the user gets an unusable random one.
      if (!password) password = randomBytes(48).toString("base64url");
      if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
        throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
      }
      encrypted = await hashPassword(password);
    }
    let userId = randomUUID();
    if (customId !== undefined && customId !== "") {
      if (!isUuid(customId)) throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
      if (customId === NIL_UUID) throw badRequest("validation_failed", "ID cannot be a nil uuid");
      userId = customId.toLowerCase();
    }

    const identityData = emailIdentityData(userId, email, emailConfirm);
    const userMeta = mergeMetadata(userMetadata, identityData);
    const appMeta = mergeMetadata({ provider: "email", providers: ["email"] }, appMetadataParam ?? {});

    try {
      const created = await withTx(async (tx) => {
        await tx`
          insert into auth.users
            (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
             raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
             banned_until, is_sso_user, is_anonymous)
          values
            (${NIL_UUID}, ${userId}, ${aud}, ${role}, ${email}, ${encrypted}, ${emailConfirm ? sql`now()` : null},
             ${sql.json(appMeta)}, ${sql.json(userMeta)}, false, now(), now(),
             ${bannedUntil ?? null}, false, false)`;
        await insertEmailIdentity(tx, userId, identityData);
        return findUserById(tx, userId);
      });
      sendJson(ctx.res, 200, userJson(created));
    } catch (err) {
      if (isEmailConflict(err)) {
        throw new ApiError(422, "email_exists", "A user with this email address has already been registered");
      }
      if (err?.code === "23505" && err.constraint_name === "users_pkey") {
        throw new ApiError(422, "validation_failed", "A user with this ID already exists");
      }
      throw err;
    }
  }

  async function adminGetUser(ctx, id) {
    requireAdmin(ctx);
    sendJson(ctx.res, 200, userJson(await loadUserParam(id)));
  }

  async function adminUpdateUser(ctx, id) {
    requireAdmin(ctx);
    const user = await loadUserParam(id);
    const body = await readJson(ctx);
    const rawEmail = field(body, "email", "string");
    const phone = field(body, "phone", "string");
    const password = field(body, "password", "string");
    const role = field(body, "role", "string");
    const emailConfirm = field(body, "email_confirm", "boolean") ?? false;
    field(body, "phone_confirm", "boolean");
    const userMetadata = field(body, "user_metadata", "object");
    const appMetadata = field(body, "app_metadata", "object");
    if (userMetadata) checkMetadata(userMetadata, "user_metadata");
    if (appMetadata) checkMetadata(appMetadata, "app_metadata");
    const bannedUntil = banUntil(field(body, "ban_duration", "string"));

    const email = rawEmail ? validateEmail(rawEmail) : undefined;
    if (phone) throw badRequest("validation_failed", "Phone numbers are not supported by the local auth server");
    let encrypted;
    if (password !== undefined) {
      checkPasswordStrength(password, config.passwordMinLength);
      encrypted = await hashPassword(password);
    }
    const userId = user.row.id;
    if (email && email !== user.row.email) {
      const other = await findUserIdByEmail(sql, email, user.row.aud ?? AUDIENCE);
      if (other && other !== userId) {
        throw new ApiError(422, "email_exists", "A user with this email address has already been registered");
      }
    }

    try {
      const updated = await withTx(async (tx) => {
        const [row] = await tx`select * from auth.users where id = ${userId} for update`;
        if (!row) throw new ApiError(404, "user_not_found", "User not found");
        let userMeta = row.raw_user_meta_data ?? {};
        let appMeta = row.raw_app_meta_data ?? {};
        if (role) await tx`update auth.users set role = ${role} where id = ${userId}`;
        if (emailConfirm) {
          await tx`update auth.users set email_confirmed_at = now() where id = ${userId}`;
          userMeta = mergeMetadata(userMeta, { email_verified: true });
        }
        if (encrypted) {
          await tx`update auth.users set encrypted_password = ${encrypted} where id = ${userId}`;
          // GoTrue's UpdatePassword(tx, nil): every session of the user ends.
          await tx`delete from auth.sessions where user_id = ${userId}`;
        }
        if (email) {
          const [identity] = await tx`
            select id, identity_data from auth.identities where user_id = ${userId} and provider = 'email'`;
          if (identity) {
            const data = mergeMetadata(identity.identity_data, { email, email_verified: emailConfirm });
            await tx`update auth.identities set identity_data = ${sql.json(data)}, updated_at = now() where id = ${identity.id}`;
          } else {
            await insertEmailIdentity(tx, userId, emailIdentityData(userId, email, emailConfirm));
          }
          await tx`update auth.users set email = ${email} where id = ${userId}`;
          const providers = Array.isArray(appMeta.providers) ? appMeta.providers : [];
          if (!providers.includes("email")) appMeta = mergeMetadata(appMeta, { providers: [...providers, "email"] });
        }
        if (appMetadata) appMeta = mergeMetadata(appMeta, appMetadata);
        if (userMetadata) userMeta = mergeMetadata(userMeta, userMetadata);
        await tx`
          update auth.users
          set raw_app_meta_data = ${sql.json(appMeta)}, raw_user_meta_data = ${sql.json(userMeta)}, updated_at = now()
          where id = ${userId}`;
        if (bannedUntil !== undefined) {
          await tx`update auth.users set banned_until = ${bannedUntil} where id = ${userId}`;
        }
        return findUserById(tx, userId);
      });
      sendJson(ctx.res, 200, userJson(updated));
    } catch (err) {
      if (isEmailConflict(err)) {
        throw new ApiError(422, "email_exists", "A user with this email address has already been registered");
      }
      throw err;
    }
  }

  async function adminDeleteUser(ctx, id) {
    requireAdmin(ctx);
    const user = await loadUserParam(id);
    // auth-js sends {should_soft_delete}; an empty body means a hard delete.
    const body = await readJson(ctx, { allowEmpty: true });
    const soft = field(body, "should_soft_delete", "boolean") ?? false;
    const userId = user.row.id;
    if (!soft) {
      // Cascades to identities, sessions, refresh tokens and AMR claims.
      await sql`delete from auth.users where id = ${userId}`;
    } else if (!user.row.deleted_at) {
      // GoTrue's soft delete keeps the row but makes it unusable and frees the
      // address (GoTrue obfuscates email and identities; we clear them).
      await withTx(async (tx) => {
        await tx`
          update auth.users
          set email = null, phone = null, encrypted_password = '', raw_user_meta_data = '{}'::jsonb,
              raw_app_meta_data = '{}'::jsonb, deleted_at = now(), updated_at = now()
          where id = ${userId}`;
        await tx`delete from auth.identities where user_id = ${userId}`;
        await tx`delete from auth.sessions where user_id = ${userId}`;
      });
    }
    sendJson(ctx.res, 200, {});
  }

  // ---- routing ------------------------------------------------------------------------------

  const routes = new Map([
    ["/health", { GET: health }],
    ["/settings", { GET: settings }],
    ["/.well-known/jwks.json", { GET: jwks }],
    ["/signup", { POST: signup }],
    ["/token", { POST: token }],
    ["/user", { GET: getUser, PUT: updateUser }],
    ["/logout", { POST: logout }],
    ["/admin/users", { GET: adminListUsers, POST: adminCreateUser }],
  ]);
  const adminUserRoute = { GET: adminGetUser, PUT: adminUpdateUser, DELETE: adminDeleteUser };

  /** Finds the handlers for a path: [methods, routeParam] or null. */
  function match(path) {
    const exact = routes.get(path);
    if (exact) return [exact, undefined];
    const m = /^\/admin\/users\/([^/]+)$/.exec(path);
    if (m) {
      let id;
      try {
        id = decodeURIComponent(m[1]);
      } catch {
        id = m[1]; // not valid percent-encoding: loadUserParam rejects it as a UUID
      }
      return [adminUserRoute, id];
    }
    return null;
  }

  async function handleRequest(req, res) {
    const ctx = {
      req,
      res,
      requestId: randomUUID(),
      apiVersion: requestedApiVersion(req),
      ip: clientIp(req),
      userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : null,
      path: "/",
      url: null,
    };
    try {
      setCommonHeaders(req, res);
      ctx.url = new URL(req.url ?? "/", "http://auth.local");
      // chi treats "/user/" like "/user"; so do we.
      ctx.path = ctx.url.pathname.length > 1 ? ctx.url.pathname.replace(/\/+$/, "") : ctx.url.pathname;

      // CORS preflight (what rs/cors does in front of GoTrue's router).
      if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
        res.writeHead(204, {
          "Access-Control-Allow-Methods": CORS_ALLOWED_METHODS,
          "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS,
          "Content-Length": 0,
        });
        res.end();
        return;
      }

      const found = match(ctx.path);
      if (!found) throw new ApiError(404, "not_found", "Not Found");
      const [methods, param] = found;
      const handler = Object.hasOwn(methods, req.method) ? methods[req.method] : null;
      if (!handler) throw new ApiError(405, "method_not_allowed", "Method Not Allowed");
      await handler(ctx, param);
      if (!res.headersSent && !res.destroyed) {
        throw new Error(`handler for ${req.method} ${ctx.path} sent no response`);
      }
    } catch (err) {
      sendError(ctx, err);
    }
  }

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err) => {
      // sendError itself failed; there is nothing sensible left to send.
      console.error("auth server: failed to answer a request:", err?.stack || String(err));
      res.destroy();
    });
  });
  // Bound slow or stuck clients; generous enough for scrypt under load.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.on("clientError", (err, socket) => {
    if (socket.writable && !socket.writableEnded) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

// ---------------------------------------------------------------------------
// Startup and shutdown
// ---------------------------------------------------------------------------

/**
 * Creates the schema. One transaction guarded by an advisory lock, so two
 * servers starting together cannot interleave their DDL. Retries for a while
 * because the stack may start us before Postgres accepts connections.
 */
async function ensureSchema(sql) {
  const schemaSql = readFileSync(new URL("./auth-schema.sql", import.meta.url), "utf8");
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('tt_local_auth_server_schema'))`;
        await tx.unsafe(schemaSql);
      });
      return;
    } catch (err) {
      const transient =
        ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT", "CONNECTION_CLOSED",
          "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P03"].includes(err?.code);
      if (!transient || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main() {
  const config = loadConfig(process.env);
  const signingKey = loadSigningKey(config.keyFile);

  const sql = postgres(config.databaseUrl, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { application_name: "tt-local-auth-server" },
    onnotice: () => {}, // "already exists, skipping" notices from the schema script
    transform: { undefined: null },
  });

  try {
    await ensureSchema(sql);
  } catch (err) {
    // The driver's messages never include the connection password.
    console.error("auth server: could not prepare the auth schema:", err?.stack || String(err));
    await sql.end({ timeout: 1 }).catch(() => {});
    process.exit(1);
  }

  if (!config.mailerAutoconfirm) {
    console.error("auth server: GOTRUE_MAILER_AUTOCONFIRM is off but this server sends no email; " +
      "confirm users with PUT /admin/users/<id> {\"email_confirm\": true}");
  }

  // Unknown addresses are checked against this hash so that they cost as much
  // time as a wrong password.
  const dummyHash = await hashPassword(randomBytes(16).toString("hex"));
  const server = createAuthServer({ config, sql, signingKey, dummyHash });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Never hang on shutdown: whatever is still open after 10 s is abandoned.
    setTimeout(() => process.exit(0), 10_000).unref();
    const closed = new Promise((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Give in-flight requests a moment, then drop lingering keep-alive sockets.
    setTimeout(() => server.closeAllConnections(), 3_000).unref();
    await closed;
    await sql.end({ timeout: 5 }).catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  // Handlers catch their own errors; these are a last line of defence so one bad
  // request can never take the server down.
  process.on("unhandledRejection", (err) => {
    console.error("auth server: unhandled rejection:", err?.stack || String(err));
  });
  process.on("uncaughtException", (err) => {
    console.error("auth server: uncaught exception:", err?.stack || String(err));
  });

  server.on("error", (err) => {
    console.error(`auth server: cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    console.log(`auth server listening on http://${config.host}:${config.port}`);
  });
}

main().catch((err) => {
  console.error("auth server: failed to start:", err?.stack || String(err));
  process.exit(1);
});
