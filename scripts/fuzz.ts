// `npm run fuzz`: Schemathesis against /api/v1/openapi.json. It generates requests from
// the OpenAPI document (valid ones, invalid ones, undeclared methods, sequences that follow
// the document's links) and checks every response against the same document: no 5xx, a
// documented status code, content type, headers and body schema.
//
//   1. Schemathesis (pinned, from PyPI) in a virtual environment outside the clone:
//      ~/.cache/tuned-tensor/fuzz-venv-<version>, made on first use and reused after;
//   2. the local stack (started if down, and then stopped again), and an app: the one at
//      --base-url, or a production build served by `next start` on TT_FUZZ_PORT (3300);
//   3. a fresh user with a session cookie, the API key to fuzz with (every scope, activity:read
//      included), a read-only key (every `:read` scope: specs:read, keys:read, activity:read —
//      it can change nothing), two decoy keys and two behaviour specs (so that
//      operations on an id also reach real rows);
//   4. three runs over every operation: one authenticated with the key, one with the
//      read-only key (every write must be a documented 403), one with the session cookie
//      (and the app's own Origin, which cookie-authenticated writes need);
//   5. JUnit and JSON reports in test-results/fuzz-{bearer,readonly,session}.{xml,json}, a summary in
//      test-results/fuzz-summary.json, and one line: `fuzz: N cases, N failures`.
//      The exit code is non-zero on any failure. The user is deleted at the end.
//
// Options: --short (≈200 cases, for `npm test`), --base-url <url> (fuzz a running app, no
// build), --seed <n> (generate a run's cases again), --max-examples <n> (per operation and
// run), --only bearer|readonly|session (one of the runs), and after `--`, options for
// `schemathesis run` itself (e.g. `-- --include-operation-id createApiKey`).
// Credentials never appear on a command line or in the output: Schemathesis reads them from
// its environment (`${VAR}` in its config file), masks Authorization and Cookie in what it
// prints, and everything it prints or writes passes through mask() besides.
import { spawn, spawnSync } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { sessionCookieValue } from "./lib/session-cookie.ts";
import { createApiKeyWithCookie, createSignedInUser, deleteUser, type SignedInUser } from "./lib/users.ts";
import { READ_ONLY_SCOPES } from "../lib/contract/scopes.ts";
import { buildApp, ensureStack, startApp, stopStack } from "./lib/app-server.ts";
import { checkNode } from "./lib/prerequisites.ts";
import { CACHE_DIR, ROOT } from "./stack/config.ts";

type Options = { short: boolean; baseUrl?: string; seed?: string; maxExamples?: number; only?: string; extra: string[] };
type Key = { id: string; key: string };
type Run = {
  name: string;
  code: number;
  cases: number;
  failures: number;
  operations: { passed: number; failed: number };
  /** The failing operations' labels (e.g. "POST /api/v1/keys"), for the summary's readers. */
  failing: string[];
  seed?: string;
  seconds?: number;
  problems: string[];
};

// The newest release on PyPI when this was written that installs and runs on Python 3.11
// (it needs ≥ 3.11). Changing it makes a new virtual environment next to the old one.
const SCHEMATHESIS_VERSION = "4.32.5";
const VENV = join(CACHE_DIR, `fuzz-venv-${SCHEMATHESIS_VERSION}`);
const SCHEMATHESIS = join(VENV, "bin", "schemathesis");
const HOOKS = join(ROOT, "scripts", "fuzz", "hooks.py");
const RESULTS = join(ROOT, "test-results");

// How much each of the two runs does. The full run has every phase: examples, coverage
// (deterministic boundary, invalid and undeclared-method cases, about 450 per run whatever
// the settings), fuzzing (up to `examples` random cases per operation) and stateful
// (sequences along the links Schemathesis infers: create a spec, then get, patch and delete
// it), well over 1,000 cases in all. The short run, for `npm test`, skips the coverage phase
// to stay near 200 cases in all; `npm run fuzz` runs it.
const PLANS = {
  full: { examples: 50, phases: "examples,coverage,fuzzing,stateful" },
  short: { examples: 4, phases: "examples,fuzzing,stateful" },
};

const say = (msg: string) => console.log(`[fuzz] ${msg}`);

function parseArgs(argv: string[]): Options {
  const options: Options = { short: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      options.extra = argv.slice(i + 1);
      break;
    }
    const value = () => {
      const v = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg.split("=")[0]} needs a value`);
      return v;
    };
    if (arg === "--short") options.short = true;
    else if (arg.startsWith("--base-url")) options.baseUrl = new URL(value()).origin;
    else if (arg.startsWith("--seed")) options.seed = value();
    else if (arg.startsWith("--max-examples")) options.maxExamples = Number(value());
    else if (arg.startsWith("--only")) options.only = value();
    else throw new Error(`unknown option ${arg} (options: --short, --base-url <url>, --seed <n>, --max-examples <n>, --only bearer|readonly|session, -- <schemathesis run options>)`);
  }
  return options;
}

// ---------------------------------------------------------------------------------
// Secrets: every value that would let someone act as the fuzz user.

const secrets = new Set<string>();
const MASK = "[masked]";
// Any whole API key (`tt_` + 43 + 6 base62 characters), such as one the session run's
// POST /api/v1/api-keys created and Schemathesis shows in a response body: its prefix is
// kept, to tell keys apart, as the API itself does.
const API_KEY = /\btt_([0-9A-Za-z]{8})[0-9A-Za-z]{41}\b/g;
function mask(text: string): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(MASK);
  return out.replace(API_KEY, `tt_$1…${MASK}`);
}

/** Copies a child's output to ours line by line, masked (a secret never straddles a write). */
function pipeMasked(stream: Readable, target: Writable) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    const end = pending.lastIndexOf("\n");
    if (end < 0) return;
    target.write(mask(pending.slice(0, end + 1)));
    pending = pending.slice(end + 1);
  });
  stream.on("end", () => pending && target.write(mask(pending)));
}

// ---------------------------------------------------------------------------------
// Schemathesis in its own virtual environment

function pythonVersion(python: string) {
  const r = spawnSync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ensureSchemathesis() {
  const marker = join(VENV, ".tt-installed");
  if (existsSync(marker) && existsSync(SCHEMATHESIS)) return;
  const python = process.env.TT_PYTHON || "python3";
  const version = pythonVersion(python);
  if (!version) throw new Error(`${python} was not found; Schemathesis needs Python 3.11 or newer (set TT_PYTHON to use another interpreter).`);
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < 3 || (major === 3 && minor < 11)) throw new Error(`Schemathesis ${SCHEMATHESIS_VERSION} needs Python 3.11 or newer; ${python} is ${version}.`);
  say(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${VENV} (once) …`);
  // A venv records its own path, so it is made where it stays; the marker is written only
  // after pip succeeded, and a venv without one is made again from scratch.
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "inherit" }).status === 0;
  if (!run(python, ["-m", "venv", VENV])) throw new Error(`${python} -m venv failed; on Debian: apt-get install python3-venv`);
  const pip = join(VENV, "bin", "pip");
  if (!run(pip, ["install", "--quiet", "--disable-pip-version-check", `schemathesis==${SCHEMATHESIS_VERSION}`])) {
    throw new Error(`pip install schemathesis==${SCHEMATHESIS_VERSION} failed; see above.`);
  }
  writeFileSync(marker, `${SCHEMATHESIS_VERSION}\n`);
}

// ---------------------------------------------------------------------------------
// The app and the fuzz user

async function appAnswers(url: string) {
  return fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5000) })
    .then((r) => r.ok)
    .catch(() => false);
}

async function api(appUrl: string, path: string, { method = "GET", headers, body }: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const res = await fetch(`${appUrl}${path}`, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await res.json().catch(() => undefined);
  return { status: res.status, json };
}

async function revokedKeys(appUrl: string, cookie: string): Promise<number> {
  const keys = await api(appUrl, "/api/v1/api-keys?per_page=100", { headers: { cookie } });
  return ((keys.json as { data?: { revoked_at: string | null }[] })?.data ?? []).filter((k) => k.revoked_at !== null).length;
}

const SEED_SPECS = [
  {
    name: "Fuzz seed: support tone",
    description: "Polite, short answers for customer support",
    system_prompt: "You are a helpful support agent.",
    guidelines: ["Greet the customer by name"],
    constraints: ["Never promise refunds"],
    examples: [{ input: "Where is my order?", output: "Sorry for the wait! Could you share your order number?" }],
  },
  { name: "Fuzz seed: minimal", examples: [{ input: "Hi", output: "Hello!" }], base_model: "Qwen/Qwen3.5-2B" },
];

/**
 * A user of its own for this run: a session, the API key to fuzz with, two decoy keys
 * (what DELETE /api-keys/{id} revokes when it picks the fuzzing key's id; see
 * scripts/fuzz/hooks.py) and a couple of specs.
 */
async function setUpUser(appUrl: string): Promise<SignedInUser & { key: Key; readOnly: Key; decoys: Key[] }> {
  const user = await createSignedInUser("fuzz", "fuzz.tunedtensor.local");
  secrets.add(user.cookie);
  secrets.add(sessionCookieValue(user.session));
  secrets.add(user.session.access_token);
  secrets.add(String(user.session.refresh_token));
  const decoys = [
    await createApiKeyWithCookie<Key>(appUrl, user.cookie, { name: "fuzz decoy 1" }),
    await createApiKeyWithCookie<Key>(appUrl, user.cookie, { name: "fuzz decoy 2" }),
  ];
  // Limits of their own, none: the organization's default for keys (which the fuzzer may set
  // through the policy) does not reach them, and the hooks keep the fuzzing key's own unchanged.
  const limits = { rate: null, quota: null };
  const key = await createApiKeyWithCookie<Key>(appUrl, user.cookie, { name: "fuzz", limits });
  // What a CI job that only reads would hold: every write must be a documented 403.
  const readOnly = await createApiKeyWithCookie<Key>(appUrl, user.cookie, { name: "fuzz read-only", scopes: [...READ_ONLY_SCOPES], limits });
  for (const k of [key, readOnly, ...decoys]) secrets.add(k.key);
  for (const spec of SEED_SPECS) {
    const res = await api(appUrl, "/api/v1/behavior-specs", { method: "POST", headers: { authorization: `Bearer ${key.key}` }, body: spec });
    if (res.status !== 201) throw new Error(`seeding a behaviour spec failed: ${res.status} ${mask(JSON.stringify(res.json))}`);
  }
  return { ...user, key, readOnly, decoys };
}

// ---------------------------------------------------------------------------------
// One Schemathesis run

/**
 * Schemathesis' settings for one run. Credentials are `${VAR}` placeholders that it fills
 * from its environment, so this file holds no secret and none is on a command line.
 */
function configToml({ appUrl, headers, sessionCookieVar }: { appUrl: string; headers: Record<string, string>; sessionCookieVar?: string }) {
  const q = (s: string) => JSON.stringify(s); // a TOML basic string is a JSON string
  const table = (entries: Record<string, string>) => `{ ${Object.entries(entries).map(([k, v]) => `${q(k)} = ${q(v)}`).join(", ")} }`;
  return `# Written by scripts/fuzz.ts for one run; holds no secret (\${VAR} comes from the environment).
base-url = ${q(appUrl)}
hooks = ${q(HOOKS)}
workers = 2
headers = ${table(headers)}

[output.sanitization]
enabled = true

[generation]
# The credentials are set here; do not generate values of the security schemes besides.
with-security-parameters = false
database = "none"

[cache]
enabled = false

[checks.negative_data_rejection]
# Schemathesis' default list plus 413: a body over the documented 1 MiB limit (say, more
# examples than maxItems allows, each of them long) is refused with 413 before it is
# parsed, which is as much a rejection as a 400 and is documented for those operations.
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]

[phases.coverage]
# Every undeclared method is sent to every path and must get 405 with Allow, except TRACE
# and QUERY: Next.js answers those itself before any route code runs (TRACE: Node's fetch
# Request refuses the method, so a 500 error page; QUERY: a bare 400) and no application
# code can change that; see docs/SECURITY.md, "Fuzzing".
unexpected-methods = ["get", "put", "post", "delete", "options", "patch"]

[[operations]]
# A poll of the device flow with a well-formed device code that no login request has (all the
# fuzzer can make: a real one comes only from POST /cli/device-codes, and only a person in a
# browser approves it) is refused 400 invalid_grant, as RFC 8628 says; documented there.
include-operation-id = "exchangeDeviceCode"
checks.positive_data_acceptance.expected-statuses = [201, 400]

[[operations]]
# The token exchange: a schema-valid request carries a subject_token no CI provider signed (the
# fuzzer cannot make one a trust policy trusts), refused 400 in RFC 6749's shape
# (invalid_request, invalid_grant, invalid_target), as the document says.
include-operation-id = "exchangeToken"
checks.positive_data_acceptance.expected-statuses = [200, 400]

[[operations]]
# A trust policy's conditions must name the ids its provider requires (repository_id and
# repository_owner_id for github, …), and its issuer be https: rules across fields (or of
# a URL's parts) that the document states in words, not in the schema. A schema-valid policy
# that breaks them is a 400 naming the field, as documented there.
include-operation-id = "createTrustPolicy"
checks.positive_data_acceptance.expected-statuses = [201, 400, 403, 404, 429]

[[operations]]
include-operation-id = "updateTrustPolicy"
checks.positive_data_acceptance.expected-statuses = [200, 400, 403, 404, 429]

[[operations]]
# The live check needs a token or claims to check: a body with neither (both are optional
# fields, one of them is required — a rule across fields the document states in words) is a
# 400 saying so.
include-operation-id = "testTrustPolicies"
checks.positive_data_acceptance.expected-statuses = [200, 400, 403, 404, 429]

${
  sessionCookieVar
    ? `
# The session cookie as the document's own security scheme, so that Schemathesis knows it is
# the credential: the ignored_auth check then also sends requests without it and with a
# forged one, which must be 401.
[auth.openapi.sessionCookie]
api_key = "\${${sessionCookieVar}}"
`
    : ""
}`;
}

async function runSchemathesis({
  name,
  appUrl,
  headers,
  sessionCookieVar,
  env,
  options,
  workDir,
}: {
  name: string;
  appUrl: string;
  headers: Record<string, string>;
  sessionCookieVar?: string;
  env: Record<string, string>;
  options: Options;
  workDir: string;
}): Promise<Run> {
  const configFile = join(workDir, `${name}.toml`);
  writeFileSync(configFile, configToml({ appUrl, headers, sessionCookieVar }), { mode: 0o600 });
  const junit = join(RESULTS, `fuzz-${name}.xml`);
  const report = join(RESULTS, `fuzz-${name}.json`);
  rmSync(junit, { force: true });
  rmSync(report, { force: true });
  const plan = options.short ? PLANS.short : PLANS.full;
  const args = [
    "--config-file", configFile,
    "run", `${appUrl}/api/v1/openapi.json`,
    "--checks", "all",
    // Every check but the built-in use after free (ST301): --checks all would turn it on over
    // any setting in the config. scripts/fuzz/hooks.py (4.) runs it for every operation but a
    // revoked key's usage, which stays readable on purpose (revoking is a soft delete).
    "--exclude-checks", "use_after_free",
    "--phases", plan.phases,
    "--max-examples", String(options.maxExamples ?? plan.examples),
    "--continue-on-failure",
    "--no-color",
    "--report", "junit,json",
    "--report-junit-path", junit,
    "--report-json-path", report,
    ...(options.seed ? ["--seed", options.seed] : []),
    ...options.extra,
  ];
  say(`${name}: schemathesis ${args.slice(2).join(" ")}`);
  const child = spawn(SCHEMATHESIS, args, {
    cwd: workDir,
    // Only what Schemathesis needs: no credentials of ours but the fuzz user's.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  pipeMasked(child.stdout, process.stdout);
  pipeMasked(child.stderr, process.stderr);
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  // The reports hold requests and responses: masked like the output, to be safe to share.
  for (const file of [junit, report]) if (existsSync(file)) writeFileSync(file, mask(readFileSync(file, "utf8")));
  return { name, code, ...readReport(report) };
}

/** Cases, failures and per-operation results from Schemathesis' JSON report. */
type Report = {
  failures?: { operations?: string[] }[];
  errors?: { title: string; count?: number }[];
  test_cases?: { unique_failures?: number; generated?: number };
  operations?: { tested?: number };
  running_time?: number;
};

function readReport(file: string): Omit<Run, "name" | "code"> {
  let r: Report;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    r = JSON.parse(text) as Report;
  } catch {
    return { cases: 0, failures: 0, operations: { passed: 0, failed: 1 }, failing: [], problems: ["Schemathesis wrote no JSON report"] };
  }
  const failing = new Set<string>();
  for (const f of r.failures ?? []) for (const op of f.operations ?? []) failing.add(op);
  // Errors (a request that could not be made, a schema part Schemathesis could not use)
  // are listed by title and count, not by operation: each title counts as a failed one.
  for (const e of r.errors ?? []) failing.add(`error: ${e.title}`);
  const errors = (r.errors ?? []).reduce((n, e) => n + (e.count ?? 1), 0);
  const failures = (r.test_cases?.unique_failures ?? 0) + errors;
  const tested = r.operations?.tested ?? 0;
  // Failures on undeclared methods are reported under labels like "TRACE /api/v1/me"
  // that are not operations of the document; count each as a failed operation too.
  const failed = failing.size;
  return {
    cases: r.test_cases?.generated ?? 0,
    failures,
    operations: { passed: Math.max(0, tested - failed), failed },
    failing: [...failing],
    // Hypothesis seeds have up to 39 digits, more than a JSON number keeps.
    seed: /"seed":\s*(\d+)/.exec(text)?.[1],
    seconds: r.running_time,
    problems: [],
  };
}

// ---------------------------------------------------------------------------------

let options: Options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`[fuzz] error: ${(e as Error).message}`);
  process.exit(2);
}
const started = Date.now();
let startedStack = false;
let app: { url: string; stop: () => Promise<void> } | undefined;
let user: Awaited<ReturnType<typeof setUpUser>> | undefined;
let workDir: string | undefined;
let exitCode = 1;
try {
  // A summary left by an earlier run must not stand in for this one if it fails early.
  rmSync(join(RESULTS, "fuzz-summary.json"), { force: true });
  checkNode(say);
  ensureSchemathesis();
  startedStack = await ensureStack(say);
  if (options.baseUrl) {
    if (!(await appAnswers(options.baseUrl))) throw new Error(`no app answers at ${options.baseUrl}/api/v1/health`);
    app = { url: options.baseUrl, stop: async () => {} };
    say(`fuzzing the running app at ${app.url}`);
  } else {
    buildApp(say);
    // The fuzzer sends bad credentials by the hundred from one client: keep it under the limit.
    app = await startApp({ port: Number(process.env.TT_FUZZ_PORT || 3300), name: "next-fuzz", env: { AUTH_FAILURE_LIMIT: "999999999", DEVICE_CODE_LIMIT: "999999999" }, say });
  }

  say("setting up a fuzz user: a session, an API key, a read-only key, two decoy keys, two behaviour specs");
  user = await setUpUser(app.url);
  mkdirSync(RESULTS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), "tt-fuzz-"));
  const hookEnv: Record<string, string> = {
    TT_FUZZ_PROTECTED_KEY_IDS: [user.key.id, user.readOnly.id].join(","),
    TT_FUZZ_DECOY_KEY_IDS: user.decoys.map((k) => k.id).join(","),
    // For the hook that keeps valid key changes narrowings (scripts/fuzz/hooks.py).
    TT_FUZZ_APP_URL: app.url,
    TT_FUZZ_COOKIE: user.cookie,
  };

  const runs: Run[] = [];
  const wanted = (name: string) => !options.only || options.only === name;
  // The key first: the session run may revoke any key it finds, including this one.
  /** One Schemathesis run authenticated with `key`, which must still work afterwards. */
  const runWithKey = async (name: string, key: string, what: string) => {
    const run = await runSchemathesis({
      name,
      appUrl: app!.url,
      headers: { Authorization: "Bearer ${TT_FUZZ_API_KEY}" },
      env: { ...hookEnv, TT_FUZZ_API_KEY: key },
      options,
      workDir: workDir!,
    });
    const me = await api(app!.url, "/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
    if (me.status !== 200) run.problems.push(`${what} no longer works after the run (GET /api/v1/me: ${me.status}), so the run's results mean little`);
    return run;
  };
  if (wanted("bearer")) runs.push(await runWithKey("bearer", user.key.key, "the fuzzing key"));
  // A read-only key: reads answer as for the full key, every write is 403 insufficient_scope
  // (documented for each operation that needs a scope), and nothing it sends changes anything.
  if (wanted("readonly")) {
    const before = await api(app.url, "/api/v1/behavior-specs?per_page=100", { headers: { cookie: user.cookie } });
    const revokedBefore = await revokedKeys(app.url, user.cookie);
    const run = await runWithKey("readonly", user.readOnly.key, "the read-only key");
    const after = await api(app.url, "/api/v1/behavior-specs?per_page=100", { headers: { cookie: user.cookie } });
    if (JSON.stringify(after.json) !== JSON.stringify(before.json)) run.problems.push("the read-only run changed the user's behaviour specs");
    const revoked = (await revokedKeys(app.url, user.cookie)) - revokedBefore;
    if (revoked > 0) run.problems.push(`the read-only run revoked ${revoked} key(s)`);
    runs.push(run);
  }
  if (wanted("session")) {
    const run = await runSchemathesis({
      name: "session",
      appUrl: app.url,
      // Cookie-authenticated writes must come from the app's own origin.
      headers: { Origin: app.url },
      sessionCookieVar: "TT_FUZZ_SESSION",
      env: { ...hookEnv, TT_FUZZ_SESSION: sessionCookieValue(user.session) },
      options,
      workDir,
    });
    const me = await api(app.url, "/api/v1/me", { headers: { cookie: user.cookie } });
    if (me.status !== 200) run.problems.push(`the session no longer works after the run (GET /api/v1/me: ${me.status}), so the run's results mean little`);
    runs.push(run);
  }
  if (runs.length === 0) throw new Error(`--only ${options.only}: no such run (bearer, readonly or session)`);

  let cases = 0;
  let failures = 0;
  const operations = { passed: 0, failed: 0 };
  for (const run of runs) {
    // A non-zero exit with nothing counted (a crash, a schema Schemathesis refused) is a failure too.
    const counted = run.failures + run.problems.length;
    const runFailures = counted || (run.code !== 0 ? 1 : 0);
    cases += run.cases;
    failures += runFailures;
    operations.passed += run.operations.passed;
    operations.failed += run.operations.failed + (runFailures && !run.operations.failed ? 1 : 0);
    for (const p of run.problems) console.error(`[fuzz] ${run.name}: ${p}`);
    say(`${run.name}: ${run.cases} cases, ${runFailures} failures (schemathesis exit ${run.code}, seed ${run.seed ?? "?"}, ${Math.round(run.seconds ?? 0)} s)`);
  }
  const summary = {
    schemathesis: SCHEMATHESIS_VERSION,
    mode: options.short ? "short" : "full",
    app: app.url,
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    cases,
    failures,
    operations,
    runs: runs.map(({ name, code, cases: c, failures: f, operations: o, failing, seed, seconds, problems }) => ({ name, exit_code: code, cases: c, failures: f, operations: o, failing, seed, seconds, problems })),
  };
  writeFileSync(join(RESULTS, "fuzz-summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`fuzz: ${cases} cases, ${failures} failures`);
  exitCode = failures === 0 && cases > 0 ? 0 : 1;
} catch (e) {
  console.error(`[fuzz] error: ${mask((e as Error).message)}`);
} finally {
  if (user) await deleteUser(user.id).catch((e: Error) => console.error(`[fuzz] cleanup: deleting the fuzz user failed: ${e.message}`));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await app?.stop();
  if (startedStack) stopStack();
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(exitCode);
