-- Failed authentications per client per minute, shared by every app instance, for the
-- failed-authentication rate limit (lib/auth/failure-limiter.ts). In its own schema:
-- bookkeeping of the server, never exposed through the Data API (which serves `public`).
create schema if not exists internal;
revoke all on schema internal from public;

create table internal.auth_failures (
  client       text        not null check (char_length(client) <= 200),
  window_start timestamptz not null,
  failures     integer     not null check (failures >= 0),
  primary key (client, window_start)
);

-- The periodic clean-up deletes old windows by time.
create index auth_failures_window_start_idx on internal.auth_failures (window_start);
