-- A team's audit trail outlives its members' accounts. An event's user_id is the person it
-- concerns; with `on delete cascade` a member who deleted their account took every event
-- about them out of every organization's trail — what they did with the team's keys
-- included — which is exactly the record the team's owners need after someone leaves. Now
-- the event stays in its organization's trail and stops naming them (`on delete set null`,
-- as a service account's events have no user); a personal workspace's trail still goes with
-- the account, by the workspace's own deletion.
alter table public.audit_events drop constraint if exists audit_events_user_id_fkey;
alter table public.audit_events
  add constraint audit_events_user_id_fkey foreign key (user_id) references auth.users (id) on delete set null;

-- Append-only, but for: the retention job; the cascade of its organization's deletion; and
-- the foreign key's `set null` when the account is deleted — that column, to null, nothing
-- else, and only once the account is gone.
create or replace function public.audit_events_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and (
       coalesce(current_setting('tt.activity_retention', true), '') = 'on'
       or not exists (select 1 from public.organizations o where o.id = old.organization_id)) then
    return old;
  end if;
  if tg_op = 'UPDATE' and old.user_id is not null and new.user_id is null
     and not exists (select 1 from auth.users u where u.id = old.user_id)
     and (to_jsonb(new) - 'user_id') = (to_jsonb(old) - 'user_id') then
    return new;
  end if;
  raise exception 'audit events are append-only (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
revoke execute on function public.audit_events_append_only() from public, anon, authenticated;
