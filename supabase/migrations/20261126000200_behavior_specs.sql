-- Behaviour specs: what a user wants a fine-tuned model to do. The CHECK constraints
-- mirror the API's validation, so a row that breaks the rules cannot exist even if a
-- caller bypasses the API (the Data API, a script, a future bug).

create function public.behavior_spec_examples_valid(examples jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(examples) = 'array'
     and jsonb_array_length(examples) between 1 and 500
     and not exists (
       select 1
       from jsonb_array_elements(examples) as e
       where jsonb_typeof(e) <> 'object'
          or jsonb_typeof(e -> 'input') is distinct from 'string'
          or jsonb_typeof(e -> 'output') is distinct from 'string'
     )
$$;

create table public.behavior_specs (
  id            uuid primary key default gen_random_uuid(),
  user_id       uuid not null references auth.users (id) on delete cascade,
  name          text not null check (char_length(name) between 1 and 255),
  description   text,
  system_prompt text,
  guidelines    text[] not null default '{}'
                check (cardinality(guidelines) <= 50 and array_position(guidelines, null) is null),
  constraints   text[] not null default '{}'
                check (cardinality(constraints) <= 50 and array_position(constraints, null) is null),
  examples      jsonb not null check (public.behavior_spec_examples_valid(examples)),
  base_model    text not null default 'meta-llama/Llama-3.2-3B-Instruct'
                check (base_model in (
                  'Qwen/Qwen3.5-2B',
                  'Qwen/Qwen3.5-4B',
                  'google/gemma-4-E2B-it',
                  'google/gemma-4-E4B-it',
                  'meta-llama/Llama-3.2-3B-Instruct',
                  'microsoft/Phi-4-mini-instruct',
                  'ibm-granite/granite-3.3-2b-instruct',
                  'bigcode/starcoder2-3b'
                )),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- The owner-scoped, newest-first, paginated list.
create index behavior_specs_user_id_created_at_idx on public.behavior_specs (user_id, created_at desc, id desc);

create function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger behavior_specs_set_updated_at
  before update on public.behavior_specs
  for each row execute function public.set_updated_at();

alter table public.behavior_specs enable row level security;

revoke all on public.behavior_specs from anon;

create policy "behavior_specs_select_own" on public.behavior_specs
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "behavior_specs_insert_own" on public.behavior_specs
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "behavior_specs_update_own" on public.behavior_specs
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "behavior_specs_delete_own" on public.behavior_specs
  for delete to authenticated using ((select auth.uid()) = user_id);
