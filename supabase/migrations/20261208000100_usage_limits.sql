-- Usage limits (issue 28; docs/ARCHITECTURE.md, "Usage limits"): a rate (requests per UTC
-- second or minute, with an optional per-second burst cap inside the minute) and a quota
-- (requests per UTC day or month) on a key, on a service account (one counter shared by its
-- keys) and on an organization (the default of every key without its own, counted per key).
-- The app enforces them with leases from public.usage_limit_windows (lib/usage-limits/).

do $$
declare
  t text;
begin
  foreach t in array array['api_keys', 'service_accounts', 'organizations'] loop
    execute format($f$
      alter table public.%1$I
        add column if not exists limit_rate integer,
        add column if not exists limit_rate_per text,
        add column if not exists limit_burst integer,
        add column if not exists limit_quota integer,
        add column if not exists limit_quota_per text$f$, t);
    execute format('alter table public.%1$I drop constraint if exists %1$s_limit_rate_check', t);
    execute format($f$
      alter table public.%1$I add constraint %1$s_limit_rate_check check (
        (limit_rate is null and limit_rate_per is null and limit_burst is null)
        or (limit_rate between 1 and 1000000 and limit_rate_per in ('second', 'minute')
            and (limit_burst is null or (limit_rate_per = 'minute' and limit_burst between 1 and limit_rate))))$f$, t);
    execute format('alter table public.%1$I drop constraint if exists %1$s_limit_quota_check', t);
    execute format($f$
      alter table public.%1$I add constraint %1$s_limit_quota_check check (
        (limit_quota is null and limit_quota_per is null)
        or (limit_quota between 1 and 1000000000 and limit_quota_per in ('day', 'month')))$f$, t);
  end loop;
end $$;

-- A key's own limits, even "none" (both null), as opposed to following its organization's default.
alter table public.api_keys add column if not exists limits_own boolean not null default false;
alter table public.api_keys drop constraint if exists api_keys_limits_own_check;
alter table public.api_keys add constraint api_keys_limits_own_check
  check (limits_own or (limit_rate is null and limit_quota is null));

-- One row per counter (a key's or a service account's rate, burst or quota), rolled to a new
-- window by the lease statement: `granted` is the allowance handed out to instances in the
-- window `window_start` (spent, or held by an instance until it gives back what it did not
-- use). The invariant that makes the limit exact across instances: granted <= limit_seen.
-- `warned` / `exhausted`: the quota alerts of this window were sent (once per window).
create table if not exists public.usage_limit_windows (
  subject_id   uuid not null,
  kind         text not null check (kind in ('rate', 'burst', 'quota')),
  window_start timestamptz not null,
  granted      integer not null check (granted >= 0),
  limit_seen   integer not null check (limit_seen >= 1),
  warned       boolean not null default false,
  exhausted    boolean not null default false,
  primary key (subject_id, kind),
  check (granted <= limit_seen)
);
-- Only the app's server role reads or writes it; no client ever does.
alter table public.usage_limit_windows enable row level security;
revoke all on public.usage_limit_windows from anon, authenticated, service_role;

-- Refusals by a usage limit (429 rate_limited / quota_exceeded), per key per hour.
alter table public.api_key_usage add column if not exists limited integer not null default 0;
alter table public.api_key_usage drop constraint if exists api_key_usage_limited_check;
alter table public.api_key_usage add constraint api_key_usage_limited_check check (limited >= 0);

-- The limits' events: a key's or a service account's limits changed, a quota passed 80 % or ran out.
alter table public.audit_events drop constraint if exists audit_events_type_check;
alter table public.audit_events add constraint audit_events_type_check check (type in (
  'key.created', 'key.rolled', 'key.narrowed', 'key.renamed', 'key.revoked',
  'key.expiry_mail_sent', 'auth.signed_in', 'auth.signed_out',
  'mfa.enrolled', 'mfa.removed', 'cli_login.approved', 'cli_login.denied',
  'organization.created', 'organization.renamed', 'member.invited', 'member.invitation_revoked',
  'member.joined', 'member.removed', 'member.left', 'member.role_changed', 'policy.changed',
  'service_account.created', 'service_account.deleted',
  'key.limits_changed', 'service_account.limits_changed', 'quota.warning', 'quota.exhausted'));
