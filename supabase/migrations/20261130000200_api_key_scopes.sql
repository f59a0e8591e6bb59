-- Scoped API keys: each key can do only what it was made for.
--
-- `scopes`: what a key may do, from the contract's list (lib/contract/scopes.ts): a
-- non-empty list of known, distinct scopes. Every key made before this migration could do
-- everything, so it gets every scope; from now on the API always says which (no default
-- here: a key inserted without scopes is refused, not given everything).
-- `scope_last_used`: when the key last used each scope, `{"specs:read": "<timestamp>", …}`,
-- written together with `last_used_at`, at most once a minute per key (lib/api-keys/usage.ts);
-- the API answers with the scopes used in the last 30 days.

create function public.api_key_scopes_valid(scopes text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  -- One dimension first (array_position refuses others; an empty array has none): CASE
  -- keeps the order.
  select case when coalesce(array_ndims(scopes) = 1, false) then
    array_position(scopes, null) is null
    and scopes <@ array['specs:read', 'specs:write', 'keys:read', 'keys:write']::text[]
    and cardinality(scopes) = (select count(distinct s) from unnest(scopes) as s)
  else false end
$$;

-- Only the API writes keys; the CHECK runs as the role that writes the row.
revoke execute on function public.api_key_scopes_valid(text[]) from public, anon, authenticated;

alter table public.api_keys
  add column scopes text[] not null default array['specs:read', 'specs:write', 'keys:read', 'keys:write']::text[],
  add column scope_last_used jsonb not null default '{}'::jsonb;

alter table public.api_keys
  alter column scopes drop default,
  add constraint api_keys_scopes_valid check (public.api_key_scopes_valid(scopes)),
  add constraint api_keys_scope_last_used_object check (jsonb_typeof(scope_last_used) = 'object');

-- A key's scopes can be narrowed, never widened: whatever writes the row, a leaked key
-- must never gain power.
create function public.api_keys_scopes_never_widen()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not (new.scopes <@ old.scopes) then
    raise exception 'an API key''s scopes can only be narrowed'
      using errcode = 'check_violation', constraint = 'api_keys_scopes_never_widen';
  end if;
  return new;
end
$$;
revoke execute on function public.api_keys_scopes_never_widen() from public, anon, authenticated;

create trigger api_keys_scopes_never_widen
  before update of scopes on public.api_keys
  for each row execute function public.api_keys_scopes_never_widen();

-- Owners may read their keys' scopes and what they used them for, as the select policy
-- (api_keys_select_own) already lets them read the rest of the row; never the hash, and
-- still no writes (keys are created, changed and revoked only through /api/v1).
grant select (scopes, scope_last_used) on public.api_keys to authenticated;
