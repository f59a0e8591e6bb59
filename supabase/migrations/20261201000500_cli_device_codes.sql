-- `tt auth login` through the browser: OAuth 2.0 Device Authorization Grant (RFC 8628),
-- lib/cli-login/device-codes.ts. One row per login attempt. Only the SHA-256 of the device
-- code (the CLI's secret) is kept; the key itself is generated when the approved row is
-- handed over and never stored readable (api_keys keeps its hash, as for any key). In the
-- internal schema: the server's bookkeeping, never served by the Data API.
create schema if not exists internal;

create table internal.cli_device_codes (
  id                 uuid        primary key default gen_random_uuid(),
  device_code_hash   bytea       not null unique check (octet_length(device_code_hash) = 32),
  -- 8 characters of an alphabet without look-alikes, stored without the dash.
  user_code          text        not null check (user_code ~ '^[BCDFGHJKLMNPQRSTVWXZ]{8}$'),
  scopes             text[]      not null check (cardinality(scopes) between 1 and 4),
  client_hostname    text        not null check (char_length(client_hostname) <= 100),
  client_os          text        not null check (char_length(client_os) <= 100),
  client_version     text        not null check (char_length(client_version) <= 50),
  created_at         timestamptz not null,
  expires_at         timestamptz not null,
  poll_interval      integer     not null check (poll_interval between 1 and 120),
  last_polled_at     timestamptz,
  status             text        not null default 'pending' check (status in ('pending', 'approved', 'denied', 'consumed')),
  -- Who approved or denied it, once.
  user_id            uuid        references auth.users (id) on delete cascade,
  decided_at         timestamptz,
  check ((status = 'pending') = (user_id is null))
);

-- A user code names at most one live request (codes are looked up by what a person typed).
create unique index cli_device_codes_pending_user_code on internal.cli_device_codes (user_code) where status = 'pending';
create index cli_device_codes_expires_at_idx on internal.cli_device_codes (expires_at);

revoke all on internal.cli_device_codes from public;
