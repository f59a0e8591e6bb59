-- Second-factor codes tried per user, shared by every app instance, for the per-user limit
-- on code entry (lib/auth/second-factor-attempts.ts). A code attempt is rare, so each one
-- takes this row's lock and is counted here before the code is even checked: the count is
-- exact across instances and addresses, concurrent attempts included. After a run of wrong
-- codes the user's code entry is locked until `locked_until` (and the owner is mailed).
create schema if not exists internal;

create table if not exists internal.second_factor_attempts (
  user_id      uuid        primary key references auth.users (id) on delete cascade,
  -- Codes tried (one per factor tried) since window_start that were not followed by a right one.
  failures     integer     not null default 0 check (failures >= 0),
  window_start timestamptz not null default now(),
  locked_until timestamptz
);

-- The server's bookkeeping: nothing for the Data API's roles (as internal.auth_failures).
revoke all on internal.second_factor_attempts from public, anon, authenticated;
