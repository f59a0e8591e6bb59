"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { FieldError, Label, describedBy, inputClasses } from "@/components/ui/field";
import { canManageRole, createInvitationInput, type Invitation, type Role } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { ROLE_CHOICES } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Invite by e-mail with a role (the roles the caller may give); POST /api/v1/organization/invitations, which sends the mail. */
export function InviteForm({ myRole, onInvited }: { myRole: Role; onInvited: (invitation: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const parsed = createInvitationInput.safeParse({ email: email.trim(), role });
    if (!parsed.success) {
      setError("Enter an e-mail address, like ada@example.com.");
      document.getElementById("invite-email")?.focus();
      return;
    }
    setError(null);
    setPending(true);
    const result = await callApi("createInvitation", { body: parsed.data });
    setPending(false);
    if (!result.ok) return fail(result);
    setEmail("");
    onInvited(result.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Invite a member" className="space-y-3 rounded-xl border border-neutral-200 p-4 dark:border-neutral-800">
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <div className="space-y-1.5">
          <Label htmlFor="invite-email">E-mail address</Label>
          <input
            id="invite-email"
            type="email"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setError(null);
            }}
            autoComplete="off"
            maxLength={320}
            placeholder="ada@example.com"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(error && "invite-email-error")}
            className={inputClasses(Boolean(error))}
          />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="invite-role">Role</Label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={inputClasses(false, "pr-8")}>
            {ROLE_CHOICES.filter((choice) => canManageRole(myRole, choice.value)).map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Sending…" : "Send invitation"}
        </Button>
      </div>
      <FieldError id="invite-email-error">{error}</FieldError>
      <ApiErrorAlert error={failure} />
    </form>
  );
}
