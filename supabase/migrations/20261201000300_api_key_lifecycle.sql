-- Key lifecycle: rolling a key with a grace window, expiry warnings sent once each, and
-- revocation of a key found exposed (issue 15).
--
-- `replaced_by` / `replaces`: a rolled key and the key that took its place point at each
-- other. A key is rolled once: `replaced_by` is set in the same transaction that inserts
-- its successor (lib/api-keys/roll.ts), and the old key's `expires_at` is brought
-- forward to the end of the grace window, so from then on it is refused like any expired
-- key — verification reads nothing new.
-- `revoked_reason`: null for a revocation by the owner; `leaked` when the key was found
-- exposed (GitHub's secret scanning, or the public revocation endpoint), with
-- `exposed_url`, where it was found when the report said.
alter table public.api_keys
  add column replaced_by uuid references public.api_keys (id) on delete set null,
  add column replaces uuid references public.api_keys (id) on delete set null,
  add column revoked_reason text,
  add column exposed_url text,
  add constraint api_keys_revoked_reason_known check (revoked_reason is null or revoked_reason = 'leaked'),
  add constraint api_keys_reason_only_when_revoked check (revoked_reason is null or revoked_at is not null),
  add constraint api_keys_exposed_url_length check (exposed_url is null or char_length(exposed_url) <= 2048),
  add constraint api_keys_not_own_successor check (replaced_by is distinct from id and replaces is distinct from id);

-- One successor and one predecessor at most.
create unique index api_keys_replaced_by_key on public.api_keys (replaced_by) where replaced_by is not null;
create unique index api_keys_replaces_key on public.api_keys (replaces) where replaces is not null;
-- The expiry job's scan: live keys by expiry.
create index api_keys_live_expiry_idx on public.api_keys (expires_at)
  where expires_at is not null and revoked_at is null and replaced_by is null;

-- Which expiry warnings were sent: one row per key and warning, inserted in the same
-- transaction that sends the mail (lib/api-keys/expiry-notices.ts), so a failed send
-- leaves no row and is retried, and a second run finds the row and sends nothing.
create table internal.key_expiry_notices (
  key_id  uuid not null references public.api_keys (id) on delete cascade,
  notice  text not null check (notice in ('7d', '1d')),
  -- The expiry the warning was about: a key whose expiry changes later is warned again.
  expires_at timestamptz not null,
  sent_at timestamptz not null default now(),
  primary key (key_id, notice, expires_at)
);
revoke all on internal.key_expiry_notices from public, anon, authenticated;

-- Owners may read how their keys ended, as they read the rest of the row.
grant select (replaced_by, replaces, revoked_reason, exposed_url) on public.api_keys to authenticated;
