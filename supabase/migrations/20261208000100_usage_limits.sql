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
-- `warned` / `exhausted`: the quota alert of this window was recorded (once per window). Set by
-- the alert's own transaction with its audit event (lib/usage-limits/quota-alerts.ts), never by
-- the lease: a lease only reports that the threshold is passed and the flag still unset, so an
-- alert that fails (or an instance that dies before it) is reported again by the next lease.
create table if not exists public.usage_limit_windows (
  subject_id   uuid not null,
  kind         text not null check (kind in ('rate', 'burst', 'quota')),
  window_start timestamptz not null,
  granted      integer not null check (granted >= 0),
  limit_seen   integer not null check (limit_seen >= 1),
  warned       boolean not null default false,
  exhausted    boolean not null default false,
  primary key (subject_id, kind)
);
-- Not `granted <= limit_seen`: a limit lowered in the middle of a window leaves what was already
-- handed out above the new limit, and no more is granted until the window ends.
alter table public.usage_limit_windows drop constraint if exists usage_limit_windows_check;
-- Only the app's server role reads or writes it; no client ever does.
alter table public.usage_limit_windows enable row level security;
revoke all on public.usage_limit_windows from anon, authenticated, service_role;

-- The lease statement (lib/usage-limits/lease-store.ts): for each counter of a request, grants
-- min(want, what is left, a fraction of what is left (at least 1)) in the caller's window and
-- says whether the quota is past 80 % of its limit, or used up, while that alert's flag is unset
-- (the alert sets it, with its audit event: see `warned` above). Rows are locked in (subject_id, kind) order, so concurrent leases of several counters
-- cannot deadlock. A caller whose window is older than the row's (its clock is behind, or its
-- window is over) gets nothing: that window has ended.
create or replace function public.usage_limit_lease(
  p_subjects uuid[], p_kinds text[], p_windows timestamptz[], p_limits integer[], p_wants integer[], p_fraction double precision)
returns table (o_subject uuid, o_kind text, o_granted integer, o_total integer, o_warned boolean, o_exhausted boolean)
language plpgsql
set search_path = ''
as $$
declare
  i integer;
  r record;
  left_over integer;
  g integer;
  total integer;
  warn boolean;
  exh boolean;
begin
  for i in
    select u.ord from unnest(p_subjects, p_kinds) with ordinality as u(s, k, ord) order by u.s, u.k
  loop
    insert into public.usage_limit_windows as w (subject_id, kind, window_start, granted, limit_seen)
      values (p_subjects[i], p_kinds[i], p_windows[i], 0, p_limits[i])
      on conflict (subject_id, kind) do nothing;
    select w.window_start, w.granted, w.warned, w.exhausted into r
      from public.usage_limit_windows w
      where w.subject_id = p_subjects[i] and w.kind = p_kinds[i]
      for update;
    if r.window_start > p_windows[i] then
      o_subject := p_subjects[i]; o_kind := p_kinds[i]; o_granted := 0; o_total := p_limits[i]; o_warned := false; o_exhausted := false;
      return next;
      continue;
    end if;
    if r.window_start < p_windows[i] then
      r.granted := 0; r.warned := false; r.exhausted := false;
    end if;
    left_over := greatest(0, p_limits[i] - r.granted);
    g := least(greatest(p_wants[i], 1), left_over, greatest(1, ceil(left_over * p_fraction)::integer));
    total := r.granted + g;
    -- In bigint: a quota may be up to 10⁹, and 4 × 10⁹ is past an integer.
    warn := p_kinds[i] = 'quota' and not r.warned and total::bigint * 5 >= p_limits[i]::bigint * 4;
    exh := p_kinds[i] = 'quota' and not r.exhausted and total >= p_limits[i] and g < greatest(p_wants[i], 1);
    update public.usage_limit_windows w
      set window_start = p_windows[i], granted = total, limit_seen = p_limits[i],
          warned = r.warned, exhausted = r.exhausted
      where w.subject_id = p_subjects[i] and w.kind = p_kinds[i];
    o_subject := p_subjects[i]; o_kind := p_kinds[i]; o_granted := g; o_total := total; o_warned := warn; o_exhausted := exh;
    return next;
  end loop;
end $$;
revoke all on function public.usage_limit_lease(uuid[], text[], timestamptz[], integer[], integer[], double precision) from public, anon, authenticated;

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
