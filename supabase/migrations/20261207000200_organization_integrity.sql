-- What 20261207000100_organizations.sql promises, held in every case
-- (tests/integration/organizations-rls.test.ts):
--
-- A service account's key belongs to the service account's organization. The key lookup
-- gives a service account's key its service account's role in the key's organization, so a
-- key of organization B naming a service account of A would act in B with a role B never
-- gave. The foreign key includes the organization, whatever writes the row.
alter table public.api_keys drop constraint if exists api_keys_service_account_same_org;
alter table public.service_accounts drop constraint if exists service_accounts_id_organization_id_key;
alter table public.service_accounts add constraint service_accounts_id_organization_id_key unique (id, organization_id);
alter table public.api_keys drop constraint if exists api_keys_service_account_id_fkey;
alter table public.api_keys
  add constraint api_keys_service_account_same_org foreign key (service_account_id, organization_id)
  references public.service_accounts (id, organization_id);

-- At least one owner, whatever the statement changes: a membership's organization (or person)
-- changed is also a membership gone from where it was, so the trigger fires on every update,
-- not only of `role`.
create or replace function public.organization_keeps_an_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner' and new.organization_id = old.organization_id) then
    return coalesce(new, old);
  end if;
  perform 1 from public.organizations where id = old.organization_id for update;
  if not found or not exists (select 1 from auth.users where id = old.user_id) then
    return coalesce(new, old);
  end if;
  if not exists (select 1 from public.organization_members
                 where organization_id = old.organization_id and role = 'owner' and user_id <> old.user_id) then
    raise exception 'an organization keeps at least one owner'
      using errcode = 'check_violation', constraint = 'organization_keeps_an_owner';
  end if;
  return coalesce(new, old);
end
$$;
revoke execute on function public.organization_keeps_an_owner() from public, anon, authenticated;
drop trigger if exists organization_keeps_an_owner on public.organization_members;
create trigger organization_keeps_an_owner
  before update or delete on public.organization_members
  for each row execute function public.organization_keeps_an_owner();

-- Nothing for anon: functions are executable by PUBLIC unless revoked.
revoke execute on function public.role_scopes(text) from public, anon;
grant execute on function public.role_scopes(text) to authenticated;
