-- `tt auth login`'s decisions in the audit trail (lib/cli-login/device-codes.ts):
-- `cli_login.approved` and `cli_login.denied`, by the session that decided, from its
-- browser; and the actor `cli_login` for the key its poll then creates (the CLI's address,
-- under the approval), so it no longer reads as the signed-in user's own doing. Widening
-- both lists: every existing row stays valid.
alter table public.audit_events drop constraint if exists audit_events_type_check;
alter table public.audit_events add constraint audit_events_type_check check (type in (
  'key.created', 'key.rolled', 'key.narrowed', 'key.renamed', 'key.revoked',
  'key.expiry_mail_sent', 'auth.signed_in', 'auth.signed_out',
  'mfa.enrolled', 'mfa.removed', 'cli_login.approved', 'cli_login.denied'));

alter table public.audit_events drop constraint if exists audit_events_actor_type_check;
alter table public.audit_events add constraint audit_events_actor_type_check check (actor_type in ('session', 'api_key', 'system', 'cli_login'));
