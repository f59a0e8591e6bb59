-- activity:read: reading the security log and a key's usage (sign-ins with their addresses
-- and user agents) is its own scope (lib/contract/scopes.ts); keys:read no longer covers it.
-- The CHECK's list of known scopes learns it. No existing key is given it: a stored scope
-- list is never widened (the api_keys_scopes_never_widen trigger would refuse it anyway),
-- so keys made before it — those made with every scope included — lose the two activity
-- operations; a new key (or `tt auth login`) gets it.
create or replace function public.api_key_scopes_valid(scopes text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case when coalesce(array_ndims(scopes) = 1, false) then
    array_position(scopes, null) is null
    and scopes <@ array['specs:read', 'specs:write', 'keys:read', 'keys:write', 'activity:read']::text[]
    and cardinality(scopes) = (select count(distinct s) from unnest(scopes) as s)
  else false end
$$;
revoke execute on function public.api_key_scopes_valid(text[]) from public, anon, authenticated;

-- A device code asks for scopes too: it held "one to four" of them; now the same rule as a
-- key's (known, distinct, non-empty), so the five fit and an unknown one still cannot.
alter table internal.cli_device_codes drop constraint if exists cli_device_codes_scopes_check;
alter table internal.cli_device_codes drop constraint if exists cli_device_codes_scopes_valid;
alter table internal.cli_device_codes add constraint cli_device_codes_scopes_valid check (public.api_key_scopes_valid(scopes)) not valid;
alter table internal.cli_device_codes validate constraint cli_device_codes_scopes_valid;
