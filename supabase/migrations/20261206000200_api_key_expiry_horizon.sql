-- A key's expiry is at most 10 years after its creation (lib/contract/api-keys.ts,
-- MAX_KEY_LIFETIME_YEARS), with a day's slack for the clocks of the app and the database;
-- "never" is null. And never past 9999: a year past it reads back from JavaScript as
-- "+010000-…", which no client can parse as the contract's date-time (it once made a
-- user's key list answer 500).
--
-- Existing keys past the horizon are brought back to it (created_at + 10 years): that only
-- shortens a key's life — it takes power away, never adds it — and a key meant to live for
-- ever is a key with no expiry, which its owner can still create.
update public.api_keys
set expires_at = least(created_at + interval '10 years', '9999-12-31T23:59:59.999Z'::timestamptz)
where expires_at > created_at + interval '10 years 1 day' or expires_at >= '10000-01-01T00:00:00Z';

alter table public.api_keys drop constraint if exists api_keys_expiry_within_horizon;
alter table public.api_keys
  add constraint api_keys_expiry_within_horizon check (
    expires_at is null or (expires_at <= created_at + interval '10 years 1 day' and expires_at < '10000-01-01T00:00:00Z')
  ) not valid;
alter table public.api_keys validate constraint api_keys_expiry_within_horizon;
