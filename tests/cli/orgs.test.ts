// Organizations from the command line, against the running app: which organization a
// command names (--org, then TUNED_TENSOR_ORG, then the one `tt orgs switch` stored, then
// none: the key's own), tt orgs list | switch | show, tt members, tt service-accounts, and
// the 403 a key gets when it names another organization than its own, in words that say
// which organization the key belongs to and what to do.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Session } from "@supabase/supabase-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { ORGANIZATION_HEADER } from "../../lib/contract/organizations";
import { api } from "../support/http";
import { linksIn, waitForMail } from "../support/mailpit";
import { createKeyIn, createOrganization, inOrg, uniqueSlug } from "../support/organizations";
import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { json, Sandbox, secret } from "./cli";

type Org = { id: string; slug: string; name: string; personal: boolean; role: string | null };
type Status = {
  authenticated: boolean;
  state: string;
  org: string | null;
  org_source: string;
  organization: { id: string; slug: string; role: string; personal: boolean } | null;
  service_account: { id: string; name: string } | null;
  user: { email: string } | null;
};

/** A session's request about `org` (as the dashboard makes it); throws unless it succeeds. */
async function asSession<T>(session: Session, method: string, path: string, body?: unknown, org?: string): Promise<T> {
  const res = await api(path, { method, ...inOrg(session, org), ...(body !== undefined ? { json: body } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body.data as T;
}

const createOrg = async (session: Session, label: string) => (await createOrganization(session, uniqueSlug(`cli-${label}`), `CLI ${label}`)) as Org;
const keyIn = async (session: Session, org: Org | null, name: string) =>
  secret(org ? ((await createKeyIn(session, org.slug, { name })) as { key: string }) : await createApiKey(session, name)).key;

let owner: Awaited<ReturnType<typeof newUser>>;
let alpha: Org;
let beta: Org;
let alphaKey: string;
let personalKey: string;
let personal: Org;

beforeAll(async () => {
  owner = await newUser("cli-org-owner");
  [alpha, beta] = await Promise.all([createOrg(owner.session, "alpha"), createOrg(owner.session, "beta")]);
  [alphaKey, personalKey] = await Promise.all([keyIn(owner.session, alpha, "cli alpha"), keyIn(owner.session, null, "cli personal")]);
  personal = await asSession<Org>(owner.session, "GET", "/api/v1/organization");
});

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());
const fresh = () => (sandbox = new Sandbox());
const login = async (sb: Sandbox, key: string) => expect((await sb.run(["auth", "login", key, "--base-url", APP_URL])).code).toBe(0);
const status = async (sb: Sandbox, args: string[] = [], env: Record<string, string> = {}) => {
  const res = await sb.run(["auth", "status", "--json", ...args], { env });
  return { res, report: json<Status>(res) };
};
const stored = (sb: Sandbox) => JSON.parse(readFileSync(sb.configFile, "utf8")) as Record<string, unknown>;

describe("which organization: --org, then TUNED_TENSOR_ORG, then the stored one, then the key's own", () => {
  it("tt auth status names the organization the key acts in, its role and where the choice came from", async () => {
    const sb = fresh();
    await login(sb, alphaKey);
    const { res, report } = await status(sb);
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ authenticated: true, org: null, org_source: "key", organization: { slug: alpha.slug, role: "owner", personal: false }, service_account: null });
    const text = await sb.run(["auth", "status"]);
    expect(text.stdout).toContain(`Logged in to ${APP_URL} as ${owner.email} in ${alpha.slug}.`);
    expect(text.stdout).toMatch(new RegExp(`org: +${alpha.slug} "CLI alpha" \\(the key's own`));
    expect(text.stdout).toMatch(/role: +owner/);
  });

  it("each level beats the next, as the server's answers show (a key works only where it belongs)", async () => {
    const sb = fresh();
    await login(sb, alphaKey);
    // Stored: beta, which is not this key's: refused, and status says whose it is.
    const switched = await sb.run(["orgs", "switch", beta.slug]);
    expect(switched.code, switched.output).toBe(0);
    expect(switched.stderr).toContain(`this API key belongs to ${alpha.slug}`);
    expect(stored(sb)).toMatchObject({ organization: beta.id, organization_slug: beta.slug });
    let { res, report } = await status(sb);
    expect(res.code).toBe(1);
    expect(report).toMatchObject({ authenticated: false, state: "wrong_organization", org: beta.id, org_source: "file", organization: { slug: alpha.slug } });

    // The environment beats the stored one…
    ({ res, report } = await status(sb, [], { TUNED_TENSOR_ORG: alpha.slug }));
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ authenticated: true, org: alpha.slug, org_source: "environment", organization: { slug: alpha.slug } });
    // …the flag beats the environment (both ways round)…
    ({ res, report } = await status(sb, ["--org", alpha.id], { TUNED_TENSOR_ORG: beta.slug }));
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ authenticated: true, org: alpha.id, org_source: "flag" });
    ({ res, report } = await status(sb, ["--org", beta.slug], { TUNED_TENSOR_ORG: alpha.slug }));
    expect(report).toMatchObject({ state: "wrong_organization", org: beta.slug, org_source: "flag" });
    // …and with nothing named, the key's own.
    expect((await sb.run(["orgs", "switch", "--clear"])).code).toBe(0);
    expect(stored(sb)).not.toHaveProperty("organization");
    ({ report } = await status(sb));
    expect(report).toMatchObject({ authenticated: true, org_source: "key", organization: { slug: alpha.slug } });
  });

  describe("the header that reaches the server", () => {
    let server: Server;
    let url: string;
    const seen: IncomingHttpHeaders[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [], meta: { page: 1, per_page: 20, total: 0 } }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("is the flag's, else the environment's, else the stored id, else none", async () => {
      const sb = fresh();
      const file = { api_key: alphaKey, base_url: url };
      mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
      writeFileSync(sb.configFile, JSON.stringify(file), { mode: 0o600 });
      const header = async (args: string[], env: Record<string, string> = {}) => {
        seen.length = 0;
        const res = await sb.run(["specs", "list", ...args], { env });
        expect(res.code, res.output).toBe(0);
        return seen.map((h) => h[ORGANIZATION_HEADER]);
      };
      expect(await header([])).toEqual([undefined]);
      writeFileSync(sb.configFile, JSON.stringify({ ...file, organization: beta.id, organization_slug: beta.slug }), { mode: 0o600 });
      expect(await header([])).toEqual([beta.id]);
      expect(await header([], { TUNED_TENSOR_ORG: "from-env" })).toEqual(["from-env"]);
      expect(await header(["--org", "from-flag"], { TUNED_TENSOR_ORG: "from-env" })).toEqual(["from-flag"]);
      expect(await header([], { TUNED_TENSOR_ORG: "" })).toEqual([beta.id]);
    });

    it("a malformed organization is a usage error, before any request", async () => {
      const sb = fresh();
      seen.length = 0;
      for (const [args, env, said] of [
        [["--org", "a b"], {}, "the organization from --org is not a slug or an id"],
        [["--org", ""], {}, "--org is empty"],
        [[], { TUNED_TENSOR_ORG: "x/y" }, "the organization from TUNED_TENSOR_ORG is not a slug or an id"],
      ] as const) {
        const res = await sb.run(["specs", "list", "-k", alphaKey, "--base-url", url, ...args], { env });
        expect(res.code, res.output).toBe(2);
        expect(res.stderr).toContain(said);
      }
      expect(seen).toEqual([]);
    });
  });
});

describe("a key naming another organization than its own", () => {
  it("is refused with the organization it belongs to, and how to use it or log in for the other, by where the name came from", async () => {
    const sb = fresh();
    const flag = await sb.run(["specs", "list", "-k", alphaKey, "--base-url", APP_URL, "--org", beta.slug]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain(`error: 403 forbidden: this API key (${alphaKey.slice(0, 11)}…) belongs to ${alpha.slug}, not ${beta.slug} (named by --org)`);
    expect(flag.stderr).toContain(`To work in ${beta.slug}: create a key there in the dashboard (switch to ${beta.slug}, then Settings → API Keys), then pass it with --api-key.`);
    expect(flag.stderr).toContain(`To use this key in ${alpha.slug}: leave out --org.`);

    const env = await sb.run(["keys", "list", "-k", personalKey, "--base-url", APP_URL], { env: { TUNED_TENSOR_ORG: alpha.slug } });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain(`belongs to your personal workspace (${personal.slug}), not ${alpha.slug} (named by TUNED_TENSOR_ORG)`);
    expect(env.stderr).toContain("To use this key in your personal workspace: unset TUNED_TENSOR_ORG.");

    await login(sb, alphaKey);
    await sb.run(["orgs", "switch", beta.slug]);
    const file = await sb.run(["specs", "list"]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`belongs to ${alpha.slug}, not ${beta.slug} (named by tt orgs switch)`);
    expect(file.stderr).toContain(`then run: tt auth login.`);
    expect(file.stderr).toContain(`To use this key in ${alpha.slug}: run: tt orgs switch ${alpha.slug}`);
  });

  it("tt auth login checks --org against the new key and stores nothing when it is another's; a stored one not the key's is forgotten", async () => {
    const sb = fresh();
    const refused = await sb.run(["auth", "login", alphaKey, "--base-url", APP_URL, "--org", beta.slug]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`belongs to ${alpha.slug}, not ${beta.slug} (named by --org)`);
    expect(refused.stderr).toContain("Nothing was stored.");
    expect((await status(sb)).report).toMatchObject({ state: "no_key" });

    await login(sb, alphaKey);
    await sb.run(["orgs", "switch", alpha.slug]);
    // Another key of the same organization keeps the choice; a key of another forgets it.
    const again = await sb.run(["auth", "login", alphaKey, "--base-url", APP_URL]);
    expect(again.stderr).toBe("");
    expect(stored(sb)).toMatchObject({ organization: alpha.id });
    const other = await sb.run(["auth", "login", personalKey, "--base-url", APP_URL]);
    expect(other.code, other.output).toBe(0);
    expect(other.stderr).toContain(`forgot the organization stored by tt orgs switch (${alpha.slug})`);
    expect(stored(sb)).not.toHaveProperty("organization");
  });
});

describe("tt orgs", () => {
  it("list: every organization of yours, the one tt acts in marked", async () => {
    const sb = fresh();
    await login(sb, alphaKey);
    const listed = json<{ data: (Org & { current: boolean })[]; org_source: string }>(await sb.run(["orgs", "list", "--json"]));
    expect(listed.data.map((o) => o.slug).sort()).toEqual([alpha.slug, beta.slug, personal.slug].sort());
    expect(listed.data[0]).toMatchObject({ personal: true });
    expect(listed.data.filter((o) => o.current).map((o) => o.slug)).toEqual([alpha.slug]);
    expect(listed.org_source).toBe("key");

    // Naming beta marks beta (and warns that this key is alpha's); listing still works.
    const text = await sb.run(["orgs", "list", "--org", beta.slug]);
    expect(text.code, text.output).toBe(0);
    const marked = text.stdout.split("\n").filter((line) => line.startsWith("*"));
    expect(marked).toHaveLength(2); // the row and the "* acts in" line
    expect(marked[0]).toContain(beta.slug);
    expect(text.stdout).toContain(`* acts in: ${beta.slug} (from --org)`);
    expect(text.stderr).toContain(`this API key belongs to ${alpha.slug}`);
  });

  it("switch: only to one of yours, by slug or id; show: the organization with its policies and your role", async () => {
    const sb = fresh();
    await login(sb, alphaKey);
    const unknown = await sb.run(["orgs", "switch", "no-such-org-here"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`you are not a member of an organization "no-such-org-here"; nothing was stored`);
    expect(unknown.stderr).toContain(alpha.slug);
    expect(stored(sb)).not.toHaveProperty("organization");
    expect((await sb.run(["orgs", "switch"])).code).toBe(2);

    const switched = await sb.run(["orgs", "switch", alpha.id.toUpperCase()]);
    expect(switched.code, switched.output).toBe(0);
    expect(switched.stdout).toContain(`Switched to ${alpha.slug} "CLI alpha" (your role: owner)`);
    expect(switched.stderr).toBe("");
    expect(stored(sb)).toMatchObject({ organization: alpha.id, organization_slug: alpha.slug });

    const shown = json<Org & { policy: Record<string, unknown> }>(await sb.run(["orgs", "show", "--json"]));
    expect(shown).toMatchObject({ id: alpha.id, slug: alpha.slug, role: "owner", personal: false, policy: { require_two_factor: false } });
    const text = await sb.run(["orgs", "show"]);
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(`  slug:      ${alpha.slug}`);
    expect(text.stdout).toContain("  your role: owner");
    expect(text.stdout).toContain(`  acting in: stored by tt orgs switch in ${sb.configFile}`);
    expect(text.stdout).toContain("two-factor required for members: no");
  });
});

describe("tt members", () => {
  it("invite by mail, the invitation listed, accepted; list; change a role and remove, by e-mail address", async () => {
    const sb = fresh();
    await login(sb, alphaKey);
    const org = await createOrg(owner.session, "team");
    const teamKey = await keyIn(owner.session, org, "cli team");
    const member = await newUser("cli-org-member");
    const as = ["-k", teamKey, "--base-url", APP_URL];

    const invited = await sb.run(["members", "invite", member.email, "--role", "developer", ...as]);
    expect(invited.code, invited.output).toBe(0);
    expect(invited.stdout).toContain(`Invited ${member.email} as developer`);
    expect((await sb.run(["members", "invite", member.email, ...as])).code).toBe(2); // --role is required
    const invitations = json<{ data: { email: string; status: string; invited_by: { email: string } }[] }>(await sb.run(["members", "invitations", "--json", ...as]));
    expect(invitations.data).toEqual([expect.objectContaining({ email: member.email, status: "pending", invited_by: expect.objectContaining({ email: owner.email }) })]);

    const mail = await waitForMail(member.email);
    const token = new URL(linksIn(mail).find((link) => link.includes("token="))!).searchParams.get("token");
    await asSession(member.session, "POST", "/api/v1/invitations/accept", { token });

    const listed = json<{ data: { user: { id: string; email: string }; role: string }[] }>(await sb.run(["members", "list", "--json", ...as]));
    expect(listed.data.map((m) => [m.user.email, m.role])).toEqual([
      [owner.email, "owner"],
      [member.email, "developer"],
    ]);
    const table = await sb.run(["members", "list", ...as]);
    expect(table.stdout).toMatch(new RegExp(`${member.user.id}\\s+${member.email.replace(/[.]/g, "\\.")}\\s+developer`));

    const lowered = await sb.run(["members", "role", member.email.toUpperCase(), "viewer", ...as]);
    expect(lowered.code, lowered.output).toBe(0);
    expect(lowered.stdout).toContain(`${member.email} is now viewer.`);
    expect((await sb.run(["members", "role", member.email, "emperor", ...as])).code).toBe(2);
    const nobody = await sb.run(["members", "remove", "nobody@example.com", ...as]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("no member has the e-mail address nobody@example.com");

    const removed = await sb.run(["members", "remove", member.email, "--json", ...as]);
    expect(removed.code, removed.output).toBe(0);
    expect(json(removed)).toMatchObject({ user: { id: member.user.id }, role: "viewer" });
    const after = json<{ data: { user: { email: string } }[] }>(await sb.run(["members", "list", "--json", ...as]));
    expect(after.data.map((m) => m.user.email)).toEqual([owner.email]);
  });
});

describe("tt service-accounts", () => {
  it("create, list, delete by name; a service account's key is named by tt auth status", async () => {
    const sb = fresh();
    const as = ["-k", alphaKey, "--base-url", APP_URL];
    const name = `ci-${randomBytes(3).toString("hex")}`;
    const created = await sb.run(["service-accounts", "create", name, "--role", "viewer", ...as]);
    expect(created.code, created.output).toBe(0);
    expect(created.stdout).toContain(`Created service account "${name}"`);
    expect(created.stdout).toContain("role viewer");
    expect((await sb.run(["service-accounts", "create", "x", "--role", "owner", ...as])).code).toBe(2);

    const listed = json<{ data: { id: string; name: string; role: string }[] }>(await sb.run(["service-accounts", "list", "--json", ...as]));
    const account = listed.data.find((a) => a.name === name);
    expect(account).toMatchObject({ role: "viewer" });

    // Its key (made with a session, as in the dashboard) acts as it.
    const saKey = secret(await asSession<{ key: string }>(owner.session, "POST", `/api/v1/organization/service-accounts/${account!.id}/keys`, { name: "deploy" }, alpha.slug)).key;
    const { res, report } = await status(sb, ["-k", saKey, "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ user: null, service_account: { id: account!.id, name }, organization: { slug: alpha.slug, role: "viewer" } });
    const text = await sb.run(["auth", "status", "-k", saKey, "--base-url", APP_URL]);
    expect(text.stdout).toContain(`as service account ${name} in ${alpha.slug}`);
    expect(text.stdout).toContain(`role:    viewer, as the service account "${name}"`);

    // A viewer's key reads the members; what its role does not allow, no key of it can do, and tt says so.
    expect((await sb.run(["members", "list", "-k", saKey, "--base-url", APP_URL])).code).toBe(0);
    const refused = await sb.run(["service-accounts", "create", "another", "-k", saKey, "--base-url", APP_URL]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: 403 forbidden: This API key does not have the scope members:write");
    expect(refused.stderr).toContain(`The service account "${name}" is a viewer in ${alpha.slug}, which does not allow members:write: no key of it can have it.`);
    expect(refused.stderr).not.toContain("create one with members:write");

    const deleted = await sb.run(["sa", "delete", name, ...as]);
    expect(deleted.code, deleted.output).toBe(0);
    expect(deleted.stdout).toContain(`Deleted service account "${name}" (${account!.id}): its keys are refused from now on.`);
    const after = json<{ data: { name: string }[] }>(await sb.run(["service-accounts", "list", "--json", ...as]));
    expect(after.data.map((a) => a.name)).not.toContain(name);
    const again = await sb.run(["service-accounts", "delete", name, ...as]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no service account is named "${name}"`);
  });
});
