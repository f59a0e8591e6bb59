"use client";

import { useId, useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { switchOrganization } from "@/lib/account/switch-organization";
import { createOrganizationInput, issueDetails } from "@/lib/contract/browser";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

type Errors = { name?: string; slug?: string };

/** Create organization: a name and, optionally, a slug; POST /api/v1/organizations, then switch to it. */
export function CreateOrganizationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    setName("");
    setSlug("");
    setErrors({});
    clear();
    setPending(false);
    onClose();
  }

  function fieldErrors(details: readonly { path: string; message: string }[]): Errors {
    const fields: Errors = {};
    for (const { path, message } of details) {
      if (path === "name") fields.name ??= `Name ${message}.`;
      else if (path === "slug") fields.slug ??= `Slug ${message}.`;
    }
    return fields;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const input = { name: name.trim(), ...(slug.trim() ? { slug: slug.trim() } : {}) };
    const parsed = createOrganizationInput.safeParse(input);
    if (!parsed.success) {
      const fields = fieldErrors(issueDetails(parsed.error, input));
      setErrors(fields);
      document.getElementById(fields.name ? `${id}-name` : `${id}-slug`)?.focus();
      return;
    }
    setErrors({});
    setPending(true);
    const result = await callApi("createOrganization", { body: parsed.data });
    if (!result.ok) {
      setPending(false);
      if (result.code === "conflict") {
        setErrors({ slug: "That slug is taken. Choose another." });
        document.getElementById(`${id}-slug`)?.focus();
        return;
      }
      if (result.code === "validation_error" && result.details.length > 0) {
        setErrors(fieldErrors(result.details));
        return;
      }
      return fail(result);
    }
    // Switch to it: the Server Action checks the membership, sets the cookie and moves on.
    // Closed first: the switcher lives in the layout, which stays mounted across the move.
    close();
    await switchOrganization(result.data.slug, "/settings/members");
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!pending}
      title="Create organization"
      description="An organization shares behaviour specs, API keys and service accounts among its members. You become its owner."
    >
      <form onSubmit={submit} noValidate className="space-y-5">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-name`}>Name</Label>
          <input
            id={`${id}-name`}
            data-autofocus
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (errors.name) setErrors((x) => ({ ...x, name: undefined }));
            }}
            maxLength={100}
            autoComplete="organization"
            placeholder="e.g. Acme"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy(errors.name && `${id}-name-error`)}
            className={inputClasses(Boolean(errors.name))}
          />
          <FieldError id={`${id}-name-error`}>{errors.name}</FieldError>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-slug`} optional>
            Slug
          </Label>
          <input
            id={`${id}-slug`}
            value={slug}
            onChange={(e) => {
              setSlug(e.target.value.toLowerCase());
              if (errors.slug) setErrors((x) => ({ ...x, slug: undefined }));
            }}
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            placeholder="acme"
            aria-invalid={errors.slug ? true : undefined}
            aria-describedby={describedBy(`${id}-slug-hint`, errors.slug && `${id}-slug-error`)}
            className={inputClasses(Boolean(errors.slug), "font-mono")}
          />
          <FieldHint id={`${id}-slug-hint`}>
            Lower-case letters, digits and hyphens; what <code className="font-mono">tt --org</code> and the{" "}
            <code className="font-mono">Tt-Organization</code> header take. Made from the name when left empty.
          </FieldHint>
          <FieldError id={`${id}-slug-error`}>{errors.slug}</FieldError>
        </div>
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={close} pending={pending} label="Create organization" pendingLabel="Creating…" />
      </form>
    </Dialog>
  );
}
