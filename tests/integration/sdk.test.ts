// @tuned-tensor/sdk as people get it: `npm pack` of the sdk/ workspace (scripts/lib/cli-package.ts), installed with npm
// into an empty project outside the repository, then a TypeScript program in that project —
// type-checked against the installed declarations, run by Node — that calls the running app
// over HTTP with a real API key: specs created and listed, a 404, a validation error with its
// details, a 401 with its request id, the key's expiry reported.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { installPackage, packSdk } from "../../scripts/lib/cli-package";
import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE = process.execPath;
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const DAY_MS = 86_400_000;

// What a user of the SDK writes (erasable TypeScript: Node runs it as it is).
const PROGRAM = `
import { ApiError, createClient, NotFoundError, UnauthorizedError, ValidationError, type BehaviorSpec, type KeyExpiry } from "@tuned-tensor/sdk";
import { clientFromEnvironment } from "@tuned-tensor/sdk/node";

const expiries: KeyExpiry[] = [];
// The key from TUNED_TENSOR_API_KEY, the server from TUNED_TENSOR_BASE_URL.
const client = clientFromEnvironment({ onKeyExpiry: (expiry) => expiries.push(expiry) });

const failure = async (call: Promise<unknown>) => {
  try {
    await call;
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      name: error.name,
      status: error.status,
      code: error.code,
      details: error.details,
      requestId: error.requestId,
      classes: [error instanceof UnauthorizedError, error instanceof NotFoundError, error instanceof ValidationError],
    };
  }
};

const created: BehaviorSpec = await client.createBehaviorSpec({
  body: { name: "SDK spec", examples: [{ input: "Where is my order?", output: "Could you share its number?" }] },
});
const page = await client.listBehaviorSpecs({ query: { page: 1, per_page: 100 } });
const fetched = await client.getBehaviorSpec({ params: { id: created.id } });
const notFound = await failure(client.getBehaviorSpec({ params: { id: "00000000-0000-4000-8000-000000000000" } }));
const invalid = await failure(client.createBehaviorSpec({ body: { name: "x", examples: [] } }));
const stranger = createClient({ baseUrl: process.env.TUNED_TENSOR_BASE_URL, apiKey: "tt_" + "0".repeat(49) });
const unauthorized = await failure(stranger.getMe());
const deleted = await client.deleteBehaviorSpec({ params: { id: created.id } });

console.log(JSON.stringify({
  created: { id: created.id, name: created.name },
  listed: page.data.map((spec) => spec.id),
  meta: page.meta,
  fetched: fetched.name,
  notFound,
  invalid,
  unauthorized,
  deleted: deleted.id,
  expiries,
  keyExpiresAt: client.keyExpiresAt,
}));
`;

let scratch: string;
let tarball: string;
let project: string;
let installed: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "tt-sdk-"));
  // npm test packs it once (TT_SDK_TARBALL); run alone, this file packs its own.
  tarball = process.env.TT_SDK_TARBALL || packSdk(join(scratch, "pack")).tarball;
  project = join(scratch, "project");
  installed = installPackage(tarball, project, "@tuned-tensor/sdk");
  writeFileSync(join(project, "program.ts"), PROGRAM);
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

describe("the SDK's tarball", () => {
  it("holds package.json, the README and the compiled modules with their declarations only", () => {
    const r = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const paths = r.stdout.trim().split("\n").map((path) => path.replace(/^package\//, "")).sort();
    for (const path of paths) expect(path).toMatch(/^(package\.json|README\.md|dist\/(sdk\/src\/(generated\/)?[a-z-]+|lib\/api-keys\/key-format)\.(js|d\.ts))$/);
    expect(paths).toEqual(expect.arrayContaining(["README.md", "dist/sdk/src/index.js", "dist/sdk/src/index.d.ts", "dist/sdk/src/node.js"]));
  });

  it("installs with no dependency, and its code loads neither zod nor the contract", () => {
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(readdirSync(join(project, "node_modules")).filter((name) => !name.startsWith("."))).toEqual(["@tuned-tensor"]);
    for (const file of files(join(installed, "dist"))) {
      expect(readFileSync(file, "utf8"), relative(installed, file)).not.toMatch(/(from|import)\s*\(?\s*"(zod|[^"]*lib\/contract[^"]*)"/);
    }
  });
});

describe("a program using the installed SDK", () => {
  it("type-checks against the installed declarations alone", () => {
    const r = spawnSync(
      NODE,
      [TSC, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "--typeRoots", join(ROOT, "node_modules", "@types"), "--types", "node", "program.ts"],
      { cwd: project, encoding: "utf8" },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("calls the running app with a real key: lists and creates specs, errors by class with request id and details, the expiry reported", async () => {
    const user = await newUser("sdk");
    // Expires in 3 days: inside the 7-day warning window whenever the test runs.
    const { key } = await createApiKey(user.session, "sdk test", new Date(Date.now() + 3 * DAY_MS).toISOString());
    // Nothing from the runner but PATH; the config file looked for in an empty directory.
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, XDG_CONFIG_HOME: join(scratch, "xdg"), TUNED_TENSOR_API_KEY: key, TUNED_TENSOR_BASE_URL: APP_URL };
    const r = spawnSync(NODE, ["program.ts"], { cwd: project, encoding: "utf8", env: env as NodeJS.ProcessEnv });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(key);
    const out = JSON.parse(r.stdout) as {
      created: { id: string; name: string };
      listed: string[];
      meta: { page: number; per_page: number; total: number };
      fetched: string;
      notFound: Record<string, unknown>;
      invalid: Record<string, unknown>;
      unauthorized: Record<string, unknown>;
      deleted: string;
      expiries: { expiresAt: string; soon: boolean }[];
      keyExpiresAt: string | null;
    };

    expect(out.created.name).toBe("SDK spec");
    expect(out.listed).toEqual([out.created.id]);
    expect(out.meta).toEqual({ page: 1, per_page: 100, total: 1 });
    expect(out.fetched).toBe("SDK spec");
    expect(out.deleted).toBe(out.created.id);

    expect(out.notFound).toMatchObject({ name: "NotFoundError", status: 404, code: "not_found", classes: [false, true, false] });
    expect(out.notFound.requestId).toMatch(/\S/);
    expect(out.invalid).toMatchObject({ name: "ValidationError", status: 400, code: "validation_error", classes: [false, false, true] });
    expect(out.invalid.details).toEqual([{ path: "examples", message: expect.stringMatching(/at least 1/) }]);
    expect(out.unauthorized).toMatchObject({ name: "UnauthorizedError", status: 401, code: "unauthorized", classes: [true, false, false] });
    expect(out.unauthorized.requestId).toMatch(/^[0-9a-f-]{36}$/);

    expect(out.keyExpiresAt).not.toBeNull();
    expect(out.expiries.length).toBeGreaterThanOrEqual(5);
    expect(out.expiries.every((e) => e.expiresAt === out.keyExpiresAt && e.soon)).toBe(true);
  });
});
