// Invitations by e-mail against the running app, the real auth server and Mailpit: the link's
// token exists in the mail alone (only its SHA-256 is stored; no answer and no audit event
// carries it), works once, for 7 days, and only for a signed-in account with the invited
// address, confirmed; revoking is idempotent; the list says who invited whom and what became
// of each invitation; admins cannot invite owners; developers and viewers cannot list.
import { createHash, randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Role } from "../../lib/contract/organizations.ts";
import { expectApiError } from "../support/expect-api-error";
import { api, serverErrors, type Call, type Json } from "../support/http";
import { linksIn, waitForMail } from "../support/mailpit";
import { addMember, inOrg, organizationInSql, uniqueSlug } from "../support/organizations";
import { createApiKey } from "../support/session";
import { APP_URL, DATABASE_URL, newUser, uniqueEmail } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
/** A session's request, about `org` when given (else the personal workspace). */
const as = (user: User, org?: string): Call => inOrg(user.session, org || undefined);

let owner: User;
let admin: User;
let developer: User;
let viewer: User;
let slug: string;
let orgId: string;

/** An organization made in SQL (its API is another file's), with these members. */
function organizationWith(members: [User, Role][]): Promise<{ id: string; slug: string }> {
  const made = uniqueSlug("inv");
  return organizationInSql(sql, made, `Invites ${made}`, members);
}

const invite = (by: User, email: string, role: Role = "developer", org = slug) =>
  api("/api/v1/organization/invitations", { method: "POST", ...as(by, org), json: { email, role } });
const accept = (by: User, token: string) => api("/api/v1/invitations/accept", { method: "POST", ...as(by), json: { token } });

/** The token of the newest invitation mailed to `email`, from its link, as the invitee's browser reads it. */
async function tokenMailedTo(email: string, count = 1): Promise<string> {
  const mail = await waitForMail(email, { subject: /invited to join/, count });
  const link = linksIn(mail).find((href) => href.includes("/invitations/accept"));
  expect(link, mail.Text).toBeDefined();
  const url = new URL(link!);
  expect(url.origin + url.pathname).toBe(`${APP_URL}/invitations/accept`);
  const token = url.searchParams.get("token")!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
}

beforeAll(async () => {
  [owner, admin, developer, viewer] = await Promise.all([newUser("inv-owner"), newUser("inv-admin"), newUser("inv-dev"), newUser("inv-viewer")]);
  ({ id: orgId, slug } = await organizationWith([
    [owner, "owner"],
    [admin, "admin"],
    [developer, "developer"],
    [viewer, "viewer"],
  ]));
});

afterAll(() => {
  expect(serverErrors).toEqual([]);
});

describe("inviting by e-mail", () => {
  it("mails a link whose token works once; the answer, the row and the audit trail never hold the token", async () => {
    const invitee = await newUser("inv-invitee");
    const sent = await invite(owner, invitee.email.toUpperCase(), "developer");
    expect(sent.status, sent.text).toBe(201);
    const invitation = sent.body.data as Json;
    expect(invitation).toMatchObject({
      email: invitee.email,
      role: "developer",
      status: "pending",
      invited_by: { id: owner.user.id, email: owner.email },
      accepted_by: null,
    });
    expect(Date.parse(invitation.expires_at) - Date.parse(invitation.created_at)).toBe(7 * 86_400_000);

    const token = await tokenMailedTo(invitee.email);
    expect(sent.text).not.toContain(token);
    // Only its SHA-256 is stored; no column holds the token.
    const [row] = await sql<{ hash: Buffer; whole: string }[]>`
      select token_hash as hash, i::text as whole from public.organization_invitations i where id = ${invitation.id}`;
    expect(Buffer.from(row!.hash).equals(createHash("sha256").update(token).digest())).toBe(true);
    expect(row!.whole).not.toContain(token);

    const joined = await accept(invitee, token);
    expect(joined.status, joined.text).toBe(200);
    expect(joined.body.data).toMatchObject({ id: orgId, slug, personal: false, role: "developer" });
    // A member now: a session picks the organization with the header.
    const me = await api("/api/v1/me", as(invitee, slug));
    expect(me.status).toBe(200);
    expect(me.body.data.organization).toMatchObject({ slug, role: "developer" });

    // Once only.
    expectApiError(await accept(invitee, token), 404, "not_found");

    const events = await sql<{ type: string; user_id: string | null; details: Json; whole: string }[]>`
      select type, user_id, details, e::text as whole from public.audit_events e
      where organization_id = ${orgId} and details->>'invitation_id' = ${invitation.id} order by occurred_at, id`;
    expect(events.map((e) => e.type)).toEqual(["member.invited", "member.joined"]);
    expect(events[0]!.details).toEqual({ email: invitee.email, role: "developer", invitation_id: invitation.id });
    expect(events[1]).toMatchObject({ user_id: invitee.user.id, details: { email: invitee.email, role: "developer", invited_by: owner.user.id } });
    for (const event of events) expect(event.whole).not.toContain(token);
    // The trail as the API answers it names the new types too.
    const trail = await api("/api/v1/audit-events", as(owner, slug));
    expect(trail.status).toBe(200);
    expect(trail.text).not.toContain(token);
    expect((trail.body.data as Json[]).filter((e) => e.details?.invitation_id === invitation.id).map((e) => e.type)).toEqual([
      "member.joined",
      "member.invited",
    ]);
  });

  it("accepting needs the invited address on the signed-in account, confirmed: 403 naming the address, and the link still works for its owner", async () => {
    const invitee = await newUser("inv-unconfirmed");
    const stranger = await newUser("inv-stranger");
    expect((await invite(admin, invitee.email, "viewer")).status).toBe(201);
    const token = await tokenMailedTo(invitee.email);

    const wrong = await accept(stranger, token);
    expectApiError(wrong, 403, "forbidden");
    expect(wrong.body.error.message).toContain(invitee.email);
    expect(wrong.body.error.message).not.toContain(slug);

    await sql`update auth.users set email_confirmed_at = null where id = ${invitee.user.id}`;
    const unconfirmed = await accept(invitee, token);
    expectApiError(unconfirmed, 403, "forbidden");
    expect(unconfirmed.body.error.message).toMatch(/confirm/i);
    expect(unconfirmed.body.error.message).toContain(invitee.email);

    await sql`update auth.users set email_confirmed_at = now() where id = ${invitee.user.id}`;
    const joined = await accept(invitee, token);
    expect(joined.status, joined.text).toBe(200);
    expect(joined.body.data.role).toBe("viewer");
    const [member] = await sql`select role from public.organization_members where organization_id = ${orgId} and user_id = ${invitee.user.id}`;
    expect(member).toEqual({ role: "viewer" });
    const [stray] = await sql`select 1 from public.organization_members where organization_id = ${orgId} and user_id = ${stranger.user.id}`;
    expect(stray).toBeUndefined();
  });

  it("an expired link is a 404, listed as expired, and the address can be invited again", async () => {
    const invitee = await newUser("inv-expired");
    const first = await invite(owner, invitee.email);
    expect(first.status).toBe(201);
    const token = await tokenMailedTo(invitee.email);
    // Eight days on: the invitation's clock moved back rather than the app's forward.
    await sql`
      update public.organization_invitations
      set created_at = created_at - interval '8 days', expires_at = expires_at - interval '8 days'
      where id = ${first.body.data.id}`;
    const late = await accept(invitee, token);
    expectApiError(late, 404, "not_found");
    expect(late.body.error.message).toMatch(/unknown, expired, revoked or was already used/);

    const listed = await api("/api/v1/organization/invitations?per_page=100", as(owner, slug));
    expect((listed.body.data as Json[]).find((i) => i.id === first.body.data.id)?.status).toBe("expired");
    // Revoking an expired one changes nothing and records nothing.
    const revoked = await api(`/api/v1/organization/invitations/${first.body.data.id}`, { method: "DELETE", ...as(owner, slug) });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.status).toBe("expired");

    const again = await invite(owner, invitee.email);
    expect(again.status, again.text).toBe(201);
    const fresh = await tokenMailedTo(invitee.email, 2);
    expect(fresh).not.toBe(token);
    expectApiError(await accept(invitee, token), 404, "not_found");
    expect((await accept(invitee, fresh)).status).toBe(200);
    const [old] = await sql`select revoked_at is not null as revoked from public.organization_invitations where id = ${first.body.data.id}`;
    expect(old).toEqual({ revoked: true });
  });

  it("a revoked link is a 404; revoking again answers the same and records one event", async () => {
    const invitee = await newUser("inv-revoked");
    const sent = await invite(owner, invitee.email);
    const token = await tokenMailedTo(invitee.email);
    const path = `/api/v1/organization/invitations/${sent.body.data.id}`;
    const first = await api(path, { method: "DELETE", ...as(admin, slug) });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.status).toBe("revoked");
    const second = await api(path, { method: "DELETE", ...as(owner, slug) });
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual(first.body.data);
    const [count] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.audit_events where type = 'member.invitation_revoked' and details->>'invitation_id' = ${sent.body.data.id}`;
    expect(count!.n).toBe(1);
    expectApiError(await accept(invitee, token), 404, "not_found");
    // Another organization's invitation, or none: 404.
    expectApiError(await api(`/api/v1/organization/invitations/${sent.body.data.id}`, { method: "DELETE", ...as(owner) }), 404, "not_found");
    expectApiError(await api(`/api/v1/organization/invitations/${randomUUID()}`, { method: "DELETE", ...as(owner, slug) }), 404, "not_found");
  });

  it("refuses someone already a member, a second pending invitation, a personal workspace, and accepting when already a member (409)", async () => {
    expectApiError(await invite(owner, developer.email), 409, "conflict");
    const email = uniqueEmail("inv-twice");
    expect((await invite(owner, email)).status).toBe(201);
    const twice = await invite(admin, email, "viewer");
    expectApiError(twice, 409, "conflict");
    expect(twice.body.error.message).toContain("pending");
    expectApiError(await api("/api/v1/organization/invitations", { method: "POST", ...as(owner), json: { email: uniqueEmail("inv-personal"), role: "viewer" } }), 409, "conflict");

    const late = await newUser("inv-joined-meanwhile");
    expect((await invite(owner, late.email)).status).toBe(201);
    const token = await tokenMailedTo(late.email);
    await addMember(sql, orgId, late.user.id, "viewer");
    expectApiError(await accept(late, token), 409, "conflict");
  });

  it("an admin cannot invite an owner; an owner can; developers and viewers cannot invite or list", async () => {
    const refused = await invite(admin, uniqueEmail("inv-owner-by-admin"), "owner");
    expectApiError(refused, 403, "forbidden");
    expect((await invite(admin, uniqueEmail("inv-admin-by-admin"), "admin")).status).toBe(201);
    expect((await invite(owner, uniqueEmail("inv-owner-by-owner"), "owner")).status).toBe(201);
    for (const user of [developer, viewer]) {
      expectApiError(await api("/api/v1/organization/invitations", as(user, slug)), 403, "forbidden");
      expectApiError(await invite(user, uniqueEmail("inv-by-member")), 403, "forbidden");
    }
  });

  it("lists newest first, with who invited whom, who accepted and each status", async () => {
    const joiner = await newUser("inv-list-joiner");
    const accepted = await invite(admin, joiner.email, "viewer");
    const token = await tokenMailedTo(joiner.email);
    expect((await accept(joiner, token)).status).toBe(200);
    const expired = await invite(owner, uniqueEmail("inv-list-expired"), "viewer");
    await sql`
      update public.organization_invitations
      set created_at = created_at - interval '8 days', expires_at = expires_at - interval '8 days'
      where id = ${expired.body.data.id}`;
    const revoked = await invite(owner, uniqueEmail("inv-list-revoked"), "viewer");
    expect((await api(`/api/v1/organization/invitations/${revoked.body.data.id}`, { method: "DELETE", ...as(owner, slug) })).status).toBe(200);
    const pending = await invite(owner, uniqueEmail("inv-list-pending"), "admin");
    const res = await api("/api/v1/organization/invitations?per_page=100", as(admin, slug));
    expect(res.status).toBe(200);
    const items = res.body.data as Json[];
    expect(res.body.meta.total).toBe(items.length);
    expect(items[0]).toEqual(pending.body.data);
    expect(items.find((i) => i.id === accepted.body.data.id)).toMatchObject({
      status: "accepted",
      invited_by: { id: admin.user.id, email: admin.email },
      accepted_by: { id: joiner.user.id, email: joiner.email },
    });
    const times = items.map((i) => Date.parse(i.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const statusOf = (id: string) => items.find((i) => i.id === id)?.status;
    expect([expired, revoked, pending].map((r) => statusOf(r.body.data.id))).toEqual(["expired", "revoked", "pending"]);
  });

  it("decides races one at a time: the same address invited twice at once, the same link accepted twice at once", async () => {
    const invitee = await newUser("inv-race");
    const sent = await Promise.all([invite(owner, invitee.email), invite(admin, invitee.email)]);
    expect(sent.map((r) => r.status).sort()).toEqual([201, 409]);
    const token = await tokenMailedTo(invitee.email);
    const accepted = await Promise.all([accept(invitee, token), accept(invitee, token)]);
    expect(accepted.map((r) => r.status).sort()).toEqual([200, 404]);
    const [joined] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.audit_events where type = 'member.joined' and organization_id = ${orgId} and user_id = ${invitee.user.id}`;
    expect(joined!.n).toBe(1);
  });

  it("a key with members:write invites; only a session accepts; a malformed token is a 400", async () => {
    const { key } = await api("/api/v1/api-keys", { method: "POST", ...as(admin, slug), json: { name: "inviter", scopes: ["members:write"] } }).then((r) => {
      expect(r.status, r.text).toBe(201);
      return r.body.data as { key: string };
    });
    const email = uniqueEmail("inv-by-key");
    const sent = await api("/api/v1/organization/invitations", { method: "POST", key, json: { email, role: "viewer" } });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.data.invited_by).toEqual({ id: admin.user.id, email: admin.email });
    const token = await tokenMailedTo(email);
    const personalKey = (await createApiKey(owner.session, "accepting key")).key;
    expectApiError(await api("/api/v1/invitations/accept", { method: "POST", key: personalKey, json: { token } }), 403, "forbidden");
    const malformed = await api("/api/v1/invitations/accept", { method: "POST", ...as(owner), json: { token: "short" } });
    expectApiError(malformed, 400, "validation_error");
    expectApiError(await accept(owner, "A".repeat(43)), 404, "not_found");
  });
});
