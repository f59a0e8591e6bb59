-- Activity: an audit trail of every key event, and each key's usage per hour.
--
-- `audit_events` is append-only. Each row is written in the same transaction as the change
-- it records (lib/activity/audit.ts), so there is no change without its event and no event
-- without its change. Nobody but the retention job removes a row, and nobody changes one:
-- the grants give owners SELECT only, and a trigger refuses UPDATE always and DELETE
-- outside `public.prune_activity` (which says so with a transaction-local setting) or the
-- cascade of the owner's own deletion. (A superuser can still do anything; the trigger
-- stops the app, a migration, or a mistaken statement, not the database's administrator.)
--
-- `api_key_usage` holds requests per key per hour by outcome, counted in memory by each
-- instance and added here once a minute (lib/api-keys/usage-counts.ts): never a write per
-- request. Kept 90 days; audit events 400 days (`public.prune_activity`).

create table public.audit_events (
  id            uuid primary key default gen_random_uuid(),
  user_id       uuid not null references auth.users (id) on delete cascade,
  occurred_at   timestamptz not null default now(),
  type          text not null check (type in (
                  'key.created', 'key.rolled', 'key.narrowed', 'key.renamed', 'key.revoked',
                  'key.expiry_mail_sent', 'auth.signed_in', 'auth.signed_out',
                  'mfa.enrolled', 'mfa.removed')),
  -- Who did it: the user with their session, one of their keys (which one), or the
  -- platform itself (an expiry mail, a leak report, a public revocation).
  actor_type    text not null check (actor_type in ('session', 'api_key', 'system')),
  actor_key_id  uuid,
  actor_key_prefix text check (actor_key_prefix ~ '^tt_[0-9A-Za-z]{8}$'),
  ip            text check (char_length(ip) <= 100),
  user_agent    text check (char_length(user_agent) <= 512),
  -- The key the event is about (no reference: the event outlives nothing it names, and a
  -- key is never deleted while its owner exists).
  key_id        uuid,
  key_prefix    text check (key_prefix ~ '^tt_[0-9A-Za-z]{8}$'),
  details       jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  constraint audit_events_key_actor check ((actor_type = 'api_key') = (actor_key_id is not null and actor_key_prefix is not null))
);

-- The security log: an owner's events, newest first, and one key's.
create index audit_events_user_id_occurred_at_idx on public.audit_events (user_id, occurred_at desc, id desc);
create index audit_events_user_id_key_id_idx on public.audit_events (user_id, key_id, occurred_at desc) where key_id is not null;
-- Retention walks by time.
create index audit_events_occurred_at_idx on public.audit_events (occurred_at);

create function public.audit_events_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and (
       coalesce(current_setting('tt.activity_retention', true), '') = 'on'
       -- The owner's account was deleted (the cascade of auth.users): their log goes with it.
       or not exists (select 1 from auth.users u where u.id = old.user_id)) then
    return old;
  end if;
  raise exception 'audit events are append-only (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
revoke execute on function public.audit_events_append_only() from public, anon, authenticated;

create trigger audit_events_append_only
  before update or delete on public.audit_events
  for each row execute function public.audit_events_append_only();

create function public.audit_events_no_truncate()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit events are append-only (TRUNCATE refused)' using errcode = 'insufficient_privilege';
end
$$;
revoke execute on function public.audit_events_no_truncate() from public, anon, authenticated;

create trigger audit_events_no_truncate
  before truncate on public.audit_events
  for each statement execute function public.audit_events_no_truncate();

alter table public.audit_events enable row level security;
revoke all on public.audit_events from anon, authenticated, service_role;
grant select on public.audit_events to authenticated;
create policy "audit_events_select_own" on public.audit_events
  for select to authenticated
  using ((select auth.uid()) = user_id);

create table public.api_key_usage (
  key_id        uuid not null references public.api_keys (id) on delete cascade,
  user_id       uuid not null references auth.users (id) on delete cascade,
  -- The start of the hour (UTC) the requests were counted in.
  hour          timestamptz not null check (date_trunc('hour', hour, 'UTC') = hour),
  success       integer not null default 0 check (success >= 0),       -- 2xx
  client_error  integer not null default 0 check (client_error >= 0),  -- 4xx, other than the key's own refusals
  server_error  integer not null default 0 check (server_error >= 0),  -- 5xx
  refused       integer not null default 0 check (refused >= 0),       -- 401/403: this key refused (revoked, expired, out of scope, …)
  last_seen_at  timestamptz not null,
  last_ip       text check (char_length(last_ip) <= 100),
  last_user_agent text check (char_length(last_user_agent) <= 512),
  primary key (key_id, hour)
);
create index api_key_usage_user_id_idx on public.api_key_usage (user_id, hour desc);
create index api_key_usage_hour_idx on public.api_key_usage (hour);

alter table public.api_key_usage enable row level security;
revoke all on public.api_key_usage from anon, authenticated, service_role;
grant select on public.api_key_usage to authenticated;
create policy "api_key_usage_select_own" on public.api_key_usage
  for select to authenticated
  using ((select auth.uid()) = user_id);

-- The retention job: usage rows older than `usage_before`, audit events older than
-- `events_before`, in one transaction. The only path by which an audit event is deleted.
create function public.prune_activity(usage_before timestamptz, events_before timestamptz,
                                      out usage_deleted bigint, out events_deleted bigint)
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('tt.activity_retention', 'on', true);
  delete from public.api_key_usage where hour < usage_before;
  get diagnostics usage_deleted = row_count;
  delete from public.audit_events where occurred_at < events_before;
  get diagnostics events_deleted = row_count;
  perform set_config('tt.activity_retention', 'off', true);
end
$$;
revoke execute on function public.prune_activity(timestamptz, timestamptz) from public, anon, authenticated, service_role;
