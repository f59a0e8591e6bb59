-- Keyless CI (docs/ARCHITECTURE.md, "Keyless CI"): trust policies on service accounts, the
-- keys they mint, and the tokens already exchanged.

create table if not exists public.service_account_trust_policies (
  id                     uuid primary key default gen_random_uuid(),
  organization_id        uuid not null references public.organizations (id) on delete cascade,
  service_account_id     uuid not null,
  name                   text not null check (char_length(name) between 1 and 100 and public.text_is_single_line(name)),
  provider               text not null check (provider in ('github', 'gitlab', 'custom')),
  -- https, or http on a loopback address (accepted by the app only when it runs for tests).
  issuer                 text not null check (char_length(issuer) <= 300 and issuer ~ '^https?://[^?#]+$'),
  audience               text not null check (char_length(audience) between 1 and 300),
  conditions             jsonb not null check (jsonb_typeof(conditions) = 'object'),
  allowed_events         text[] not null default '{}',
  scopes                 text[] not null check (cardinality(scopes) > 0),
  token_lifetime_seconds integer not null default 900 check (token_lifetime_seconds between 60 and 3600),
  enabled                boolean not null default true,
  created_by             uuid references auth.users (id) on delete set null,
  created_at             timestamptz not null default now(),
  last_used_at           timestamptz,
  -- Deleted policies stay (their keys' rows name them) and refuse every key they minted.
  deleted_at             timestamptz,
  -- The service account is the organization's own, whatever writes the row.
  constraint trust_policies_service_account_same_org foreign key (service_account_id, organization_id)
    references public.service_accounts (id, organization_id)
);
create index if not exists trust_policies_service_account_idx on public.service_account_trust_policies (service_account_id, created_at, id);
create index if not exists trust_policies_issuer_idx on public.service_account_trust_policies (organization_id, issuer) where deleted_at is null;
create index if not exists trust_policies_live_issuer_idx on public.service_account_trust_policies (issuer) where deleted_at is null and enabled;
-- (id, organization_id) for the minted keys' foreign key.
alter table public.api_keys drop constraint if exists api_keys_trust_policy_same_org;
alter table public.service_account_trust_policies drop constraint if exists trust_policies_id_organization_id_key;
alter table public.service_account_trust_policies add constraint trust_policies_id_organization_id_key unique (id, organization_id);

-- Read and changed through the app only (the dashboard calls the API): nothing for the Data API.
alter table public.service_account_trust_policies enable row level security;
revoke all on public.service_account_trust_policies from anon, authenticated;
drop policy if exists "trust_policies_select" on public.service_account_trust_policies;

-- A minted key: its policy (read by the key lookup: the kill switch) and the CI run's claims.
alter table public.api_keys add column if not exists trust_policy_id uuid;
alter table public.api_keys add column if not exists minted_by jsonb;
alter table public.api_keys drop constraint if exists api_keys_minted_by_object;
alter table public.api_keys add constraint api_keys_minted_by_object check (minted_by is null or jsonb_typeof(minted_by) = 'object');
alter table public.api_keys
  add constraint api_keys_trust_policy_same_org foreign key (trust_policy_id, organization_id)
  references public.service_account_trust_policies (id, organization_id);
alter table public.api_keys drop constraint if exists api_keys_minted_by_service_account;
alter table public.api_keys
  add constraint api_keys_minted_by_service_account check (trust_policy_id is null or service_account_id is not null);
create index if not exists api_keys_trust_policy_idx on public.api_keys (trust_policy_id) where trust_policy_id is not null;

-- Each CI token is exchanged once: (issuer, jti), kept until the token would have expired
-- anyway (the daily job deletes older rows: public.prune_oidc_token_uses).
create table if not exists public.oidc_token_uses (
  issuer     text not null,
  jti        text not null check (char_length(jti) between 1 and 256),
  expires_at timestamptz not null,
  used_at    timestamptz not null default now(),
  primary key (issuer, jti)
);
create index if not exists oidc_token_uses_expires_at_idx on public.oidc_token_uses (expires_at);
alter table public.oidc_token_uses enable row level security;
revoke all on public.oidc_token_uses from anon, authenticated;

-- Widening the list of event types: every existing row stays valid. The list is read from the
-- constraint as it is and the new types added to it, so the migrations of other features that
-- widen it too may run before or after this one.
do $$
declare
  listed text[];
begin
  select coalesce(array_agg(m[1]), '{}') into listed
  from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_.]+)''', 'g') as m
  where c.conrelid = 'public.audit_events'::regclass and c.conname = 'audit_events_type_check';
  listed := listed || array['trust_policy.created', 'trust_policy.changed', 'trust_policy.deleted', 'key.minted_by_oidc'];
  alter table public.audit_events drop constraint if exists audit_events_type_check;
  execute format(
    'alter table public.audit_events add constraint audit_events_type_check check (type in (%s))',
    (select string_agg(quote_literal(t), ', ' order by t) from (select distinct unnest(listed) as t) types));
end
$$;
