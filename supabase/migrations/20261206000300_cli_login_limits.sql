-- `tt auth login`'s public endpoints, bounded (lib/cli-login/login-limits.ts): device codes
-- created, and polls with device codes nobody issued, per client per sliding minute — one
-- row per attempt let through, counted exactly across instances; the lifecycle cron
-- (GET /api/cron/key-expiry) deletes rows older than an hour, with decided and expired
-- device codes.
create table if not exists internal.cli_login_attempts (
  client text        not null check (char_length(client) <= 200),
  kind   text        not null check (kind in ('create', 'unknown_poll')),
  at     timestamptz not null
);
create index if not exists cli_login_attempts_client_idx on internal.cli_login_attempts (client, kind, at);
create index if not exists cli_login_attempts_at_idx on internal.cli_login_attempts (at);
revoke all on internal.cli_login_attempts from public, anon, authenticated;

-- The cap on pending requests in total counts the live ones by their expiry.
create index if not exists cli_device_codes_pending_expires_idx on internal.cli_device_codes (expires_at) where status = 'pending';

-- A user's deletion cascades to the requests they decided: without an index on the foreign
-- key, each deletion scans the table (Supabase's linter: unindexed_foreign_keys).
create index if not exists cli_device_codes_user_id_idx on internal.cli_device_codes (user_id);
