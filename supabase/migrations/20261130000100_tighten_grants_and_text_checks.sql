-- Grants no wider than the policies, and CHECK constraints that refuse what the API refuses.
--
-- 1. Grants. Supabase's default privileges (hosted, and the local stack's bootstrap, which
--    copies them) give `anon` and `authenticated` ALL on every new table in `public`:
--    TRUNCATE (which Row Level Security does not apply to), TRIGGER and REFERENCES
--    included. Earlier migrations revoked only some of that. Here every table in `public`
--    and `internal` gets exactly what its policies need, explicitly, and new objects that
--    this role creates in `public` start with nothing for `anon` and `authenticated`.

revoke all on all tables in schema public from anon, authenticated;
revoke all on all tables in schema internal from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;

-- api_keys: owners read their own rows, never the hash (policy api_keys_select_own).
-- Created and revoked only through /api/v1.
grant select (id, user_id, name, key_prefix, created_at, last_used_at, expires_at, revoked_at)
  on public.api_keys to authenticated;

-- behavior_specs: owners read, create, change and delete their own rows (the four
-- *_own policies). Ids and timestamps are the database's: never written by a caller.
grant select, delete on public.behavior_specs to authenticated;
grant insert (user_id, name, description, system_prompt, guidelines, constraints, examples, base_model)
  on public.behavior_specs to authenticated;
grant update (name, description, system_prompt, guidelines, constraints, examples, base_model)
  on public.behavior_specs to authenticated;

-- internal.auth_failures: the server's bookkeeping; nothing for anyone but its owner.

-- Functions: PUBLIC may execute any new function by default. The CHECK helpers run as
-- the role that writes the row, so `authenticated` keeps them; the trigger function is
-- run by its trigger, which needs no grant.
revoke execute on function public.set_updated_at() from public, anon, authenticated;
revoke execute on function public.behavior_spec_examples_valid(jsonb) from public, anon;
grant execute on function public.behavior_spec_examples_valid(jsonb) to authenticated;

alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from anon, authenticated;

-- 2. Text rules, as lib/contract/text.ts states them (lengths as lib/contract/behavior-specs.ts):
--    no C0 or C1 control characters or DEL (multi-line text keeps tab, LF and CR), no
--    bidirectional embeddings, overrides or isolates; names (one line) also no direction
--    marks, and at least one character that is neither whitespace nor invisible. NUL
--    cannot be stored at all, so the classes start at U+0001.

create function public.text_is_single_line(t text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select t !~ '[\u0001-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]'
     and t ~ '[^\u0009-\u000D\u0020\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFFA0\uFFF0-\uFFF8]'
$$;

create function public.text_is_multi_line(t text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select t !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]'
$$;

-- Every item 1..2000 characters of multi-line text.
create function public.behavior_spec_list_valid(items text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select not exists (
    select 1 from unnest(items) as i
    where char_length(i) not between 1 and 2000 or not public.text_is_multi_line(i)
  )
$$;

-- Every example's input and output 1..20000 characters of multi-line text. The shape
-- (an array of {input, output} strings) is behavior_spec_examples_valid's business;
-- anything else is left to it rather than raising an error here.
create function public.behavior_spec_example_texts_valid(examples jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case when jsonb_typeof(examples) <> 'array' then true else not exists (
    select 1
    from jsonb_array_elements(examples) as e, lateral (values (e ->> 'input'), (e ->> 'output')) as v (t)
    where jsonb_typeof(e) = 'object' and t is not null
      and (char_length(t) not between 1 and 20000 or not public.text_is_multi_line(t))
  ) end
$$;

revoke execute on function public.text_is_single_line(text), public.text_is_multi_line(text),
  public.behavior_spec_list_valid(text[]), public.behavior_spec_example_texts_valid(jsonb) from public, anon;
grant execute on function public.text_is_single_line(text), public.text_is_multi_line(text),
  public.behavior_spec_list_valid(text[]), public.behavior_spec_example_texts_valid(jsonb) to authenticated;

-- Lengths, which the API has always enforced: checked against existing rows too.
alter table public.behavior_specs
  add constraint behavior_specs_description_length check (description is null or char_length(description) between 1 and 10000),
  add constraint behavior_specs_system_prompt_length check (system_prompt is null or char_length(system_prompt) between 1 and 50000);

-- Characters the API refused only from now on (C1 controls, bidirectional formatting,
-- invisible-only names): NOT VALID, so a row written before stays readable and
-- deletable, while every insert and update is checked.
alter table public.api_keys
  add constraint api_keys_name_text check (public.text_is_single_line(name)) not valid;
alter table public.behavior_specs
  add constraint behavior_specs_name_text check (public.text_is_single_line(name)) not valid,
  add constraint behavior_specs_description_text check (description is null or public.text_is_multi_line(description)) not valid,
  add constraint behavior_specs_system_prompt_text check (system_prompt is null or public.text_is_multi_line(system_prompt)) not valid,
  add constraint behavior_specs_guidelines_text check (public.behavior_spec_list_valid(guidelines)) not valid,
  add constraint behavior_specs_constraints_text check (public.behavior_spec_list_valid(constraints)) not valid,
  add constraint behavior_specs_examples_text check (public.behavior_spec_example_texts_valid(examples)) not valid;
