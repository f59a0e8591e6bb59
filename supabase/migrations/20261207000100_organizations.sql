-- Organizations: the organization, not the person, owns work and credentials.
--
-- Every user has a personal workspace (an organization whose only member is its owner),
-- created with the account by a trigger on auth.users, so "owned by you" reads "in a
-- workspace you belong to" and a user who never makes an organization sees the product as
-- before. Existing users, their keys, specs, audit events and usage move into their
-- personal workspace here, in this one migration.
--
-- Roles are sets of the scopes keys use (lib/contract/organizations.ts); public.role_scopes keeps
-- the same table, which a test compares with the contract's. A key belongs to one
-- organization: a member's key (user_id set: it acts as that member, never beyond their
-- role) or a service account's key (service_account_id set, user_id null: it outlives
-- whoever made it). The key lookup (lib/api-keys/service.ts, findApiKeyByHash) joins the
-- organization, the membership and the service account in its one query.

-- The scope list learns the organization's scopes (lib/contract/scopes.ts). Widening the
-- list: every stored key stays valid, and none is given a new scope.
create or replace function public.api_key_scopes_valid(scopes text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case when coalesce(array_ndims(scopes) = 1, false) then
    array_position(scopes, null) is null
    and scopes <@ array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'activity:read',
                        'members:read', 'members:write', 'org:write']::text[]
    and cardinality(scopes) = (select count(distinct s) from unnest(scopes) as s)
  else false end
$$;
revoke execute on function public.api_key_scopes_valid(text[]) from public, anon, authenticated;

-- What each role may do, as scopes: the contract's ROLE_SCOPES, word for word.
create function public.role_scopes(role text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case role
    when 'owner' then array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'activity:read', 'members:read', 'members:write', 'org:write']
    when 'admin' then array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'activity:read', 'members:read', 'members:write', 'org:write']
    when 'developer' then array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'members:read']
    when 'viewer' then array['specs:read', 'keys:read', 'members:read']
    else array[]::text[]
  end
$$;
grant execute on function public.role_scopes(text) to authenticated;

create table public.organizations (
  id            uuid primary key default gen_random_uuid(),
  -- URL-safe, as GitHub's: lower-case letters, digits and inner hyphens, at most 40.
  slug          text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
  name          text not null check (char_length(name) between 1 and 100 and public.text_is_single_line(name)),
  -- The user whose personal workspace this is (it goes with their account), else null.
  personal_for  uuid unique references auth.users (id) on delete cascade,
  -- Policies (owners and admins; each change audited as policy.changed).
  require_two_factor    boolean not null default false,
  max_key_lifetime_days integer check (max_key_lifetime_days between 1 and 3650),
  key_creator_roles     text[] not null default array['owner', 'admin', 'developer']
                        check (key_creator_roles <@ array['owner', 'admin', 'developer', 'viewer']
                               and array_position(key_creator_roles, null) is null),
  member_key_scopes     text[] not null default array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'activity:read',
                                                      'members:read', 'members:write', 'org:write']
                        check (public.api_key_scopes_valid(member_key_scopes)),
  created_at    timestamptz not null default now()
);

create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id         uuid not null references auth.users (id) on delete cascade,
  role            text not null check (role in ('owner', 'admin', 'developer', 'viewer')),
  created_at      timestamptz not null default now(),
  primary key (organization_id, user_id)
);
create index organization_members_user_id_idx on public.organization_members (user_id);

-- At least one owner always remains: a change that would leave an organization without one
-- is refused, whatever writes it. The organization's row is locked first, so two changes at
-- once (two owners demoting each other) are decided one after the other. Deleting the
-- organization, or the owner's account, takes its memberships with it.
create function public.organization_keeps_an_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  perform 1 from public.organizations where id = old.organization_id for update;
  if not found or not exists (select 1 from auth.users where id = old.user_id) then
    return coalesce(new, old);
  end if;
  if not exists (select 1 from public.organization_members
                 where organization_id = old.organization_id and role = 'owner' and user_id <> old.user_id) then
    raise exception 'an organization keeps at least one owner'
      using errcode = 'check_violation', constraint = 'organization_keeps_an_owner';
  end if;
  return coalesce(new, old);
end
$$;
revoke execute on function public.organization_keeps_an_owner() from public, anon, authenticated;
create trigger organization_keeps_an_owner
  before update of role or delete on public.organization_members
  for each row execute function public.organization_keeps_an_owner();

create table public.organization_invitations (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email           text not null check (char_length(email) between 3 and 320 and email = lower(email)),
  role            text not null check (role in ('owner', 'admin', 'developer', 'viewer')),
  invited_by      uuid references auth.users (id) on delete set null,
  -- Only a SHA-256 of the link's token; the token exists in the mail alone.
  token_hash      bytea not null unique check (octet_length(token_hash) = 32),
  created_at      timestamptz not null default now(),
  expires_at      timestamptz not null,
  accepted_at     timestamptz,
  accepted_by     uuid references auth.users (id) on delete set null,
  revoked_at      timestamptz,
  constraint organization_invitations_expiry check (expires_at > created_at),
  constraint organization_invitations_one_end check (accepted_at is null or revoked_at is null)
);
create index organization_invitations_org_idx on public.organization_invitations (organization_id, created_at desc, id desc);

create table public.service_accounts (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name            text not null check (char_length(name) between 1 and 100 and public.text_is_single_line(name)),
  -- What its keys may hold at most; never owner (an organization's owners are people).
  role            text not null check (role in ('admin', 'developer', 'viewer')),
  created_by      uuid references auth.users (id) on delete set null,
  created_at      timestamptz not null default now(),
  -- Deleted service accounts stay (their keys' rows name them) and refuse every key.
  deleted_at      timestamptz
);
create unique index service_accounts_live_name on public.service_accounts (organization_id, lower(name)) where deleted_at is null;
create index service_accounts_org_idx on public.service_accounts (organization_id, created_at desc, id desc);

-- Personal workspaces for everyone who has an account now.
insert into public.organizations (slug, name, personal_for)
select 'p-' || replace(u.id::text, '-', ''), 'Personal', u.id from auth.users u;
insert into public.organization_members (organization_id, user_id, role)
select o.id, o.personal_for, 'owner' from public.organizations o where o.personal_for is not null;

-- And for everyone who signs up from now on, whichever way the account is made.
create function public.create_personal_workspace()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org uuid;
begin
  insert into public.organizations (slug, name, personal_for)
  values ('p-' || replace(new.id::text, '-', ''), 'Personal', new.id)
  returning id into org;
  insert into public.organization_members (organization_id, user_id, role) values (org, new.id, 'owner');
  return new;
end
$$;
revoke execute on function public.create_personal_workspace() from public, anon, authenticated;
create trigger create_personal_workspace
  after insert on auth.users
  for each row execute function public.create_personal_workspace();

-- Keys: an organization each; a member's key or a service account's.
alter table public.api_keys
  add column organization_id uuid references public.organizations (id) on delete cascade,
  add column service_account_id uuid references public.service_accounts (id);
update public.api_keys k set organization_id = o.id from public.organizations o where o.personal_for = k.user_id;
alter table public.api_keys
  alter column organization_id set not null,
  alter column user_id drop not null,
  add constraint api_keys_one_holder check ((service_account_id is null) = (user_id is not null));
create index api_keys_org_created_at_idx on public.api_keys (organization_id, created_at desc, id desc);
create index api_keys_service_account_idx on public.api_keys (service_account_id) where service_account_id is not null;

-- Specs belong to the organization; user_id is who made one (kept when they leave or go).
alter table public.behavior_specs add column organization_id uuid references public.organizations (id) on delete cascade;
-- Moving a spec is not changing it: its updated_at (shown as when it last changed) stays, so
-- the trigger that sets it is set aside for this one statement.
alter table public.behavior_specs disable trigger behavior_specs_set_updated_at;
update public.behavior_specs s set organization_id = o.id from public.organizations o where o.personal_for = s.user_id;
alter table public.behavior_specs enable trigger behavior_specs_set_updated_at;
alter table public.behavior_specs
  alter column organization_id set not null,
  alter column user_id drop not null,
  drop constraint behavior_specs_user_id_fkey,
  add constraint behavior_specs_user_id_fkey foreign key (user_id) references auth.users (id) on delete set null;
create index behavior_specs_org_created_at_idx on public.behavior_specs (organization_id, created_at desc, id desc);

-- Usage: by key, read through the key's organization.
alter table public.api_key_usage add column organization_id uuid references public.organizations (id) on delete cascade;
update public.api_key_usage u set organization_id = k.organization_id from public.api_keys k where k.id = u.key_id;
alter table public.api_key_usage alter column organization_id set not null, alter column user_id drop not null;

-- The audit trail: each event in an organization's trail; user_id is the person it concerns
-- (null for a service account's key). Existing events move to their user's personal
-- workspace: the append-only trigger is set aside for this one statement.
alter table public.audit_events add column organization_id uuid references public.organizations (id) on delete cascade;
alter table public.audit_events disable trigger audit_events_append_only;
update public.audit_events e set organization_id = o.id from public.organizations o where o.personal_for = e.user_id;
alter table public.audit_events enable trigger audit_events_append_only;
alter table public.audit_events alter column organization_id set not null, alter column user_id drop not null;
create index audit_events_org_occurred_at_idx on public.audit_events (organization_id, occurred_at desc, id desc);
create index audit_events_org_key_id_idx on public.audit_events (organization_id, key_id, occurred_at desc) where key_id is not null;

alter table public.audit_events drop constraint if exists audit_events_type_check;
alter table public.audit_events add constraint audit_events_type_check check (type in (
  'key.created', 'key.rolled', 'key.narrowed', 'key.renamed', 'key.revoked',
  'key.expiry_mail_sent', 'auth.signed_in', 'auth.signed_out',
  'mfa.enrolled', 'mfa.removed', 'cli_login.approved', 'cli_login.denied',
  'organization.created', 'organization.renamed', 'member.invited', 'member.invitation_revoked',
  'member.joined', 'member.removed', 'member.left', 'member.role_changed', 'policy.changed',
  'service_account.created', 'service_account.deleted'));

-- An event goes only with what it belongs to: its user's account, or its organization.
create or replace function public.audit_events_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and (
       coalesce(current_setting('tt.activity_retention', true), '') = 'on'
       or (old.user_id is not null and not exists (select 1 from auth.users u where u.id = old.user_id))
       or not exists (select 1 from public.organizations o where o.id = old.organization_id)) then
    return old;
  end if;
  raise exception 'audit events are append-only (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
revoke execute on function public.audit_events_append_only() from public, anon, authenticated;

-- Row-level security by membership. The app connects as the table owner; these policies
-- hold for anyone using the Data API with a user's token (`authenticated`). The helpers are
-- security definer so a policy on organization_members can ask about organization_members.
create function public.organization_role(org uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select m.role from public.organization_members m
  where m.organization_id = org and m.user_id = (select auth.uid())
$$;
revoke execute on function public.organization_role(uuid) from public, anon;
grant execute on function public.organization_role(uuid) to authenticated;

-- The caller's role in `org` allows `scope`, and the organization's two-factor policy is met
-- (a session at aal2).
create function public.organization_allows(org uuid, scope text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(scope = any (public.role_scopes(public.organization_role(org)))
                  and (not o.require_two_factor or coalesce((select auth.jwt()) ->> 'aal', '') = 'aal2'), false)
  from public.organizations o where o.id = org
$$;
revoke execute on function public.organization_allows(uuid, text) from public, anon;
grant execute on function public.organization_allows(uuid, text) to authenticated;

alter table public.organizations enable row level security;
revoke all on public.organizations from anon, authenticated;
grant select on public.organizations to authenticated;
create policy "organizations_select_member" on public.organizations
  for select to authenticated using (public.organization_role(id) is not null);

alter table public.organization_members enable row level security;
revoke all on public.organization_members from anon, authenticated;
grant select on public.organization_members to authenticated;
create policy "organization_members_select" on public.organization_members
  for select to authenticated using (public.organization_allows(organization_id, 'members:read'));

alter table public.organization_invitations enable row level security;
revoke all on public.organization_invitations from anon, authenticated;
grant select (id, organization_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at)
  on public.organization_invitations to authenticated;
create policy "organization_invitations_select" on public.organization_invitations
  for select to authenticated using (public.organization_allows(organization_id, 'members:write'));

alter table public.service_accounts enable row level security;
revoke all on public.service_accounts from anon, authenticated;
grant select on public.service_accounts to authenticated;
create policy "service_accounts_select" on public.service_accounts
  for select to authenticated using (public.organization_allows(organization_id, 'members:read'));

-- Keys: your own in any organization you belong to; every key of an organization where your
-- role manages others' (members:write).
drop policy if exists "api_keys_select_own" on public.api_keys;
grant select (organization_id, service_account_id) on public.api_keys to authenticated;
create policy "api_keys_select" on public.api_keys
  for select to authenticated using (
    (user_id = (select auth.uid()) and public.organization_allows(organization_id, 'keys:read'))
    or public.organization_allows(organization_id, 'members:write'));

drop policy if exists "behavior_specs_select_own" on public.behavior_specs;
drop policy if exists "behavior_specs_insert_own" on public.behavior_specs;
drop policy if exists "behavior_specs_update_own" on public.behavior_specs;
drop policy if exists "behavior_specs_delete_own" on public.behavior_specs;
revoke insert on public.behavior_specs from authenticated;
grant insert (organization_id, user_id, name, description, system_prompt, guidelines, constraints, examples, base_model)
  on public.behavior_specs to authenticated;
create policy "behavior_specs_select" on public.behavior_specs
  for select to authenticated using (public.organization_allows(organization_id, 'specs:read'));
create policy "behavior_specs_insert" on public.behavior_specs
  for insert to authenticated
  with check (public.organization_allows(organization_id, 'specs:write') and user_id = (select auth.uid()));
create policy "behavior_specs_update" on public.behavior_specs
  for update to authenticated
  using (public.organization_allows(organization_id, 'specs:write'))
  with check (public.organization_allows(organization_id, 'specs:write'));
create policy "behavior_specs_delete" on public.behavior_specs
  for delete to authenticated using (public.organization_allows(organization_id, 'specs:write'));

-- The trail and usage: for roles with activity:read, in their organization.
drop policy if exists "audit_events_select_own" on public.audit_events;
create policy "audit_events_select" on public.audit_events
  for select to authenticated using (public.organization_allows(organization_id, 'activity:read'));
drop policy if exists "api_key_usage_select_own" on public.api_key_usage;
create policy "api_key_usage_select" on public.api_key_usage
  for select to authenticated using (public.organization_allows(organization_id, 'activity:read'));
