-- API keys: `tt_` keys for programmatic access. Only a SHA-256 of the full key is
-- stored; the key itself exists in exactly one HTTP response, the one that created it.
create table public.api_keys (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references auth.users (id) on delete cascade,
  name         text not null check (char_length(name) between 1 and 100),
  -- `tt_` + the first 8 characters of the random part: enough to tell keys apart in
  -- a list, far too little to guess the rest (the random part is 43 characters).
  key_prefix   text not null check (key_prefix ~ '^tt_[0-9A-Za-z]{8}$'),
  key_hash     bytea not null check (octet_length(key_hash) = 32),
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  -- Soft delete: a revoked key is still found by its hash, so it can be answered with
  -- 403 "revoked" instead of looking like a key that never existed.
  revoked_at   timestamptz,
  constraint api_keys_expiry_after_creation check (expires_at is null or expires_at > created_at)
);

-- Verification is one lookup by hash on every request.
create unique index api_keys_key_hash_key on public.api_keys (key_hash);
-- The owner-scoped, newest-first list.
create index api_keys_user_id_created_at_idx on public.api_keys (user_id, created_at desc, id desc);

alter table public.api_keys enable row level security;

-- On hosted Supabase the Data API exposes `public` to anyone holding the publishable
-- key, so the table is closed by default: owners may read their own rows (never the
-- hash), and keys are created and revoked only through /api/v1, which enforces the format.
revoke all on public.api_keys from anon, authenticated;
grant select (id, user_id, name, key_prefix, created_at, last_used_at, expires_at, revoked_at)
  on public.api_keys to authenticated;

create policy "api_keys_select_own" on public.api_keys
  for select to authenticated
  using ((select auth.uid()) = user_id);
