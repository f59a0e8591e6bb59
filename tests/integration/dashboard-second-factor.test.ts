// The dashboard's second-factor gate, against the request that leaves the layout out: a POST
// with `RSC: 1` and a `Next-Router-State-Tree` saying the layouts are already on the client
// renders only the page segment (proxy.ts sends only GET and HEAD to /login/two-factor). With
// a password-only (aal1) session of a user who has an authenticator app, every dashboard page
// — found by walking app/(dashboard), so a new page is held to the same rule — must send the
// request to /login/two-factor and show none of the user's data. The same request with the
// session at aal2 renders the pages, so the request is the one that reaches them.
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import { api } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { enrolTotp, passwordSession, verifyTotp } from "../support/totp";

const DASHBOARD = join(process.cwd(), "app", "(dashboard)");

/** Every page.tsx under app/(dashboard), as its folder's segments (route groups included). */
function dashboardPages(dir = DASHBOARD): string[][] {
  const pages: string[][] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!name.startsWith("_")) pages.push(...dashboardPages(path));
    } else if (name === "page.tsx") {
      pages.push(relative(DASHBOARD, dir).split(sep).filter(Boolean));
    }
  }
  return pages;
}

const isGroup = (segment: string) => segment.startsWith("(") && segment.endsWith(")");

type Marker = {
  email: string;
  spec: { id: string; name: string };
  key: { id: string; name: string };
  serviceAccount: { id: string; name: string };
  factorName: string;
};
let marker: Marker;
let aal1Cookie: string;
let aal2Cookie: string;

/** The value of a dynamic segment: one of the user's own rows, so the page has data to show. */
function paramValue(parent: string | undefined, segment: string): string {
  if (segment === "[id]" && parent === "specs") return marker.spec.id;
  if (segment === "[id]" && parent === "api-keys") return marker.key.id;
  if (segment === "[id]" && parent === "service-accounts") return marker.serviceAccount.id;
  throw new Error(`no value for ${parent}/${segment}: add one to tests/integration/dashboard-second-factor.test.ts`);
}

/**
 * The page's URL and the router state a client holding every layout above it would send:
 * the root, (dashboard) and each folder down to the page's own, whose children are left out
 * (so the page segment is the only one rendered).
 */
function pageRequest(segments: string[]) {
  const urlParts: string[] = [];
  const states: unknown[] = [];
  segments.forEach((segment, i) => {
    if (segment.startsWith("[")) {
      const value = paramValue(segments[i - 1], segment);
      urlParts.push(value);
      states.push([segment.slice(1, -1), value, "d", null]);
    } else {
      if (!isGroup(segment)) urlParts.push(segment);
      states.push(segment);
    }
  });
  let tree: unknown = [states.at(-1) ?? "(dashboard)", {}];
  for (const state of [...states.slice(0, -1)].reverse()) tree = [state, { children: tree }];
  if (states.length > 0) tree = ["(dashboard)", { children: tree }];
  return { path: `/${urlParts.join("/")}`, tree: ["", { children: tree }] };
}

/** The bypass request; Next answers a stale `_rsc` with a 307 to the right one, which is followed. */
async function renderPageSegment(segments: string[], cookie: string) {
  const { path, tree } = pageRequest(segments);
  const headers = { cookie, rsc: "1", "next-router-state-tree": encodeURIComponent(JSON.stringify(tree)) };
  let url = `${path}?_rsc=0`;
  for (let hop = 0; ; hop++) {
    const res = await fetch(`${APP_URL}${url}`, { method: "POST", headers, redirect: "manual" });
    const text = await res.text();
    const location = res.headers.get("location");
    if (res.status === 307 && location?.includes("_rsc=") && new URL(location, APP_URL).pathname === path && hop < 2) {
      url = location;
      continue;
    }
    return { path, status: res.status, location, text };
  }
}

const pages = dashboardPages();

beforeAll(async () => {
  const user = await newUser("gate");
  const specName = `gate-spec-${crypto.randomUUID().slice(0, 8)}`;
  const spec = await api("/api/v1/behavior-specs", {
    method: "POST",
    cookie: sessionCookie(user.session),
    origin: APP_URL,
    json: { name: specName, examples: [{ input: "hi", output: "hello" }] },
  });
  expect(spec.status, spec.text).toBe(201);
  const key = await createApiKey(user.session, `gate-key-${crypto.randomUUID().slice(0, 8)}`);
  const serviceAccountName = `gate-sa-${crypto.randomUUID().slice(0, 8)}`;
  const serviceAccount = await api("/api/v1/organization/service-accounts", {
    method: "POST",
    cookie: sessionCookie(user.session),
    origin: APP_URL,
    json: { name: serviceAccountName },
  });
  expect(serviceAccount.status, serviceAccount.text).toBe(201);
  const factorName = `gate-app-${crypto.randomUUID().slice(0, 8)}`;
  const factor = await enrolTotp(user.session.access_token, factorName);
  const aal2 = await verifyTotp(user.session.access_token, factor.factorId, factor.secret);
  aal2Cookie = sessionCookie(aal2);
  // A stolen password: a fresh sign-in is at aal1.
  aal1Cookie = sessionCookie(await passwordSession(user.email, user.password));
  marker = { email: user.email, spec: { id: spec.body.data.id as string, name: specName }, key: { id: key.id, name: key.name }, serviceAccount: { id: serviceAccount.body.data.id as string, name: serviceAccountName }, factorName };
});

describe("the dashboard's second-factor gate, page by page", () => {
  it("walks every page of app/(dashboard)", () => {
    const paths = pages.map((segments) => segments.join("/"));
    expect(paths).toEqual(expect.arrayContaining(["settings/account", "settings/api-keys", "specs/(list)", "specs/[id]", "settings/api-keys/[id]"]));
  });

  it("the request renders the page segment for a session at aal2 (with the user's data)", async () => {
    const account = await renderPageSegment(["settings", "account"], aal2Cookie);
    expect(account.status).toBe(200);
    expect(account.text).toContain(marker.email);
    const spec = await renderPageSegment(["specs", "[id]"], aal2Cookie);
    expect(spec.text).toContain(marker.spec.name);
    const key = await renderPageSegment(["settings", "api-keys", "[id]"], aal2Cookie);
    expect(key.text).toContain(marker.key.name);
    const serviceAccount = await renderPageSegment(["settings", "service-accounts", "[id]"], aal2Cookie);
    expect(serviceAccount.text).toContain(marker.serviceAccount.name);
    const security = await renderPageSegment(["settings", "security"], aal2Cookie);
    expect(security.text).toContain(marker.factorName);
  });

  it.each(pages.map((segments) => [segments.join("/") || "(root)", segments] as const))(
    "%s: an aal1 session of a user with a factor is sent to /login/two-factor and sees none of the data",
    async (_name, segments) => {
      const res = await renderPageSegment(segments, aal1Cookie);
      for (const secret of [marker.email, marker.spec.name, marker.key.name, marker.serviceAccount.name, marker.factorName]) expect(res.text).not.toContain(secret);
      // A redirect rendered into the RSC payload (or as an HTTP redirect) to the code form.
      const to = res.location ?? /NEXT_REDIRECT;[a-z]+;([^;"]+);/.exec(res.text)?.[1] ?? "";
      expect(new URL(to, APP_URL).pathname, `${res.path} answered ${res.status}: ${res.text.slice(0, 300)}`).toBe("/login/two-factor");
    },
  );
});
