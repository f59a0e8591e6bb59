// The walker behind tests/integration/contract-edges*.test.ts: every operation of the
// contract, with every edge value its schemas accept (derived from the schemas:
// tests/support/edge-values.ts), sent to the running app over HTTP with a session and with an
// API key (every scope): no answer is a 5xx, and what a 2xx accepted is stored as sent (the
// answer, then read back through the API). A schema that accepts a value Postgres refuses, or
// a column narrower than the contract, fails there the day it is written. Two files share the
// operations between them (the organization's and the rest), so the two halves run side by side.
import { beforeAll, describe, expect, it } from "vitest";

import { operations, type OperationDefinition } from "@/lib/contract";

import { edgeValues, randomTextValues, type Edge } from "./edge-values";
import { api, type Json, type Res } from "./http";
import { createApiKey, sessionCookie } from "./session";
import { APP_URL, newUser } from "./stack";

const SPEC = { name: "edge target", examples: [{ input: "in", output: "out" }] };
const MAX_BODY_BYTES = 1_000_000; // under the 1 MiB limit: a larger body is a 413 by design, tested elsewhere

type Credential = { name: string; call: { cookie?: string; origin?: string; key?: string } };

const queryString = (query: Record<string, unknown>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
};

/** An instant in the answer for a date-time sent: Postgres keeps microseconds, JavaScript milliseconds. */
const sameInstant = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" && /^\d{4}-\d\d-\d\dT/.test(a) && Math.abs(Date.parse(a) - Date.parse(b)) < 1;
const sameItems = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) && a.length === b.length && JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].map(String).sort());

/** Each field the body sent (as the schema parses it) that the answer carries, as stored. */
function expectStored(op: OperationDefinition, sent: unknown, data: Json, where: string) {
  if (!op.body || typeof sent !== "object" || sent === null || Array.isArray(sent)) return;
  const parsed = op.body.parse(sent) as Record<string, unknown>;
  for (const [field, value] of Object.entries(sent as Record<string, unknown>)) {
    if (!(field in data) || value === undefined) continue;
    const want = parsed[field];
    const got = data[field];
    if (sameInstant(want, got) || sameItems(want, got)) continue;
    expect(got, `${where}: ${field}`).toEqual(want);
  }
}

/** The row the answer describes, read back through the API: its GET, or its collection's list. */
async function readBack(op: OperationDefinition, data: Json, credential: Credential): Promise<Json | null> {
  if (typeof data.id !== "string") return null;
  const itemPath = op.path.endsWith("/{id}") ? op.path : `${op.path}/{id}`;
  const collection = itemPath.slice(0, -"/{id}".length);
  const all = Object.values(operations) as OperationDefinition[];
  const get = all.find((o) => o.method === "GET" && o.path === itemPath);
  if (get) {
    const res = await api(itemPath.replace("{id}", data.id), credential.call);
    return res.status === 200 ? (res.body.data as Json) : null;
  }
  if (all.some((o) => o.method === "GET" && o.path === collection)) {
    const res = await api(`${collection}?per_page=100`, credential.call);
    const found = res.body.data as Json[] | Json | undefined;
    // A list, or a single resource at that path (the request's organization).
    if (Array.isArray(found)) return found.find((item) => item.id === data.id) ?? null;
    return found?.id === data.id ? found : null;
  }
  return null;
}

type Case = { label: string; params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };

/** The cases for one operation: each part's edges, the others at their smallest. */
function casesOf(op: OperationDefinition): Case[] {
  const cases: Case[] = [];
  const part = (name: "params" | "query" | "body", schema: OperationDefinition["params"] | OperationDefinition["body"]) =>
    schema ? edgeValues(schema).map((edge: Edge) => ({ label: `${name} ${edge.label}`, [name]: edge.value })) : [];
  cases.push(...part("params", op.params), ...part("query", op.query), ...part("body", op.body));
  // Property-based on top of the edges: random text from the whole of Unicode (fast-check,
  // a fixed seed so a failure reproduces) for every free-text field the body has.
  if (op.body) cases.push(...randomTextValues(op.body, 6, RANDOM_SEED).map((edge) => ({ label: `body ${edge.label}`, body: edge.value })));
  // Every operation is called at least once, with its smallest input.
  if (cases.length === 0) cases.push({ label: "no input" });
  return cases;
}

const OPERATIONS = Object.entries(operations) as [string, OperationDefinition][];
const RANDOM_SEED = 20261206;
const CONCURRENT_CASES = 6;

/** An organization's operation (its members, invitations, service accounts, trust policies, policy) or not. */
export const isOrganizations = (op: OperationDefinition) => /^\/api\/v1\/(organization|organizations|invitations)(\/|$)/.test(op.path);

/**
 * Declares one test per operation `include` keeps, for a user of its own whose requests come
 * from `address` (hundreds of requests, the public operations' among them: an address of the
 * file's own, so the app's per-client limits count them against no other test file).
 */
export function describeContractEdges(title: string, include: (op: OperationDefinition) => boolean, address: string) {
  describe(title, () => {
    type User = Awaited<ReturnType<typeof newUser>>;
    let user: User;
    let cookie: string;
    let key: string;
    beforeAll(async () => {
      user = await newUser("contract-edges");
      cookie = sessionCookie(user.session);
      key = (await createApiKey(user.session, "edges (every scope)")).key;
    });

    let targets = 0;
    /** A fresh row of the caller's for an operation's `{id}`: revoking, rolling or deleting it harms nothing else. */
    async function target(path: string): Promise<string> {
      if (path.startsWith("/api/v1/api-keys/")) return (await createApiKey(user.session, "edge target")).id;
      if (path.startsWith("/api/v1/behavior-specs/")) {
        const res = await api("/api/v1/behavior-specs", { method: "POST", cookie, origin: APP_URL, json: SPEC });
        expect(res.status).toBe(201);
        return res.body.data.id as string;
      }
      if (path.startsWith("/api/v1/organization/service-accounts/")) {
        // A service account of the caller's personal workspace, for its keys.
        const res = await api("/api/v1/organization/service-accounts", { method: "POST", cookie, origin: APP_URL, json: { name: `edge target ${++targets}` } });
        expect(res.status, res.text).toBe(201);
        return res.body.data.id as string;
      }
      if (path.startsWith("/api/v1/organization/trust-policies/")) {
        // A trust policy on a service account of the caller's personal workspace.
        const account = await target("/api/v1/organization/service-accounts/");
        const res = await api(`/api/v1/organization/service-accounts/${account}/trust-policies`, {
          method: "POST",
          cookie,
          origin: APP_URL,
          json: { name: `edge target ${++targets}`, provider: "github", conditions: { repository_id: "1", repository_owner_id: "2" } },
        });
        expect(res.status, res.text).toBe(201);
        return res.body.data.id as string;
      }
      throw new Error(`no target for ${path}: teach target() this resource`);
    }

    const credentialsFor = (op: OperationDefinition): Credential[] => {
      if (op.credentials.length === 0) return [{ name: "none", call: {} }];
      const out: Credential[] = [{ name: "session", call: { cookie, origin: APP_URL } }];
      // A key where the operation takes one, and where it does not too (a 403, never a 5xx).
      out.push({ name: "key", call: { key } });
      return out;
    };

    for (const [id, op] of OPERATIONS.filter(([, op]) => include(op))) {
      it(`${id} (${op.method} ${op.path}): no 5xx; what is accepted is stored as sent`, { timeout: 300_000 }, async () => {
        const failures: string[] = [];
        let sent = 0;
        const smallestBody = op.body ? edgeValues(op.body).find((e) => e.label === "smallest")?.value : undefined;
        const smallestQuery = op.query ? edgeValues(op.query).find((e) => e.label === "smallest")?.value : undefined;
        const runCase = async (c: Case) => {
          const body = c.body ?? smallestBody;
          if (body !== undefined && Buffer.byteLength(JSON.stringify(body)) > MAX_BODY_BYTES) return;
          for (const credential of credentialsFor(op)) {
            // The path's {id}: the edge value when it is the one varied, else a real row of the caller's.
            const idValue = c.params?.id ?? (op.path.includes("{id}") ? await target(op.path) : undefined);
            const path = op.path.replace("{id}", String(idValue)) + queryString((c.query ?? smallestQuery ?? {}) as Record<string, unknown>);
            const res: Res = await api(path, { method: op.method, from: address, ...credential.call, ...(body !== undefined ? { json: body } : {}) });
            sent++;
            const where = `${credential.name} ${op.method} ${path.slice(0, 120)} [${c.label}]`;
            if (res.status >= 500) failures.push(`${where} → ${res.status} ${res.text.slice(0, 200)}`);
            if (res.status >= 200 && res.status < 300 && c.body !== undefined && res.body.data && typeof res.body.data === "object") {
              try {
                expectStored(op, body, res.body.data as Json, where);
                const stored = await readBack(op, res.body.data as Json, credential);
                if (stored) expectStored(op, body, stored, `${where} (read back)`);
              } catch (error) {
                failures.push(String(error).slice(0, 400));
              }
            }
          }
        };
        // An operation on `{id}` gets a fresh row of its own for every case, so its cases run
        // side by side (a narrowing waits out T, the verification cache's window, before it
        // answers: one after another they took most of this file's time). The others share
        // their row (the organization, its policy) and run one after another, so the
        // read-back sees the case's own write.
        const cases = casesOf(op);
        const lanes = op.path.includes("{id}") ? CONCURRENT_CASES : 1;
        let next = 0;
        await Promise.all(Array.from({ length: lanes }, async () => {
          while (next < cases.length) await runCase(cases[next++]!);
        }));
        expect(failures).toEqual([]);
        expect(sent).toBeGreaterThan(0);
      });
    }
  });
}
