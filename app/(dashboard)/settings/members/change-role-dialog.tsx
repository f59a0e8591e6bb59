"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { canManageRole, type Member, type Role } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { ROLE_CHOICES } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Change a member's role: the roles the caller may give, each with what it may do; PATCH …/members/:user_id. */
export function ChangeRoleDialog({
  target,
  myRole,
  onClose,
  onChanged,
}: {
  target: Member | null;
  myRole: Role;
  onClose: () => void;
  onChanged: (member: Member) => void;
}) {
  // Keyed by the member, so each opening starts from their current role.
  return target ? <ChangeRoleForm key={target.user.id} target={target} myRole={myRole} onClose={onClose} onChanged={onChanged} /> : null;
}

function ChangeRoleForm({ target, myRole, onClose, onChanged }: { target: Member; myRole: Role; onClose: () => void; onChanged: (member: Member) => void }) {
  const [role, setRole] = useState<Role>(target.role);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();
  const email = target.user.email ?? "this member";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (role === target.role) return onClose();
    clear();
    setPending(true);
    const result = await callApi("updateMember", { params: { user_id: target.user.id }, body: { role } });
    setPending(false);
    if (!result.ok) return fail(result);
    onChanged(result.data);
  }

  return (
    <Dialog open onClose={onClose} dismissible={!pending} title={`Change role of ${email}`} description="A lower role takes effect for their keys and sessions as soon as you save.">
      <form onSubmit={submit} className="space-y-4 text-sm">
        <fieldset className="space-y-2">
          <legend className="font-medium text-neutral-900 dark:text-neutral-100">Role</legend>
          {ROLE_CHOICES.filter((choice) => canManageRole(myRole, choice.value)).map((choice) => (
            <label
              key={choice.value}
              htmlFor={`member-role-${choice.value}`}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-neutral-200 p-2.5 has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300"
            >
              <input
                type="radio"
                id={`member-role-${choice.value}`}
                name="member-role"
                value={choice.value}
                checked={role === choice.value}
                onChange={() => setRole(choice.value)}
                className="mt-0.5"
                {...(choice.value === target.role ? { "data-autofocus": true } : {})}
              />
              <span>
                <span className="font-medium">{choice.label}</span>
                <span className="block text-xs text-neutral-500 dark:text-neutral-400">{choice.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={onClose} pending={pending} label="Save role" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}
