"use client";

import { useId, useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/text-field";
import { switchOrganization } from "@/lib/account/switch-organization";
import { issueDetails } from "@/lib/contract/errors";
import { createOrganizationInput } from "@/lib/contract/organizations";
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
        <TextField
          id={`${id}-name`}
          label="Name"
          data-autofocus
          value={name}
          onValue={(value) => {
            setName(value);
            if (errors.name) setErrors((x) => ({ ...x, name: undefined }));
          }}
          maxLength={100}
          autoComplete="organization"
          placeholder="e.g. Acme"
          error={errors.name}
        />
        <TextField
          id={`${id}-slug`}
          label="Slug"
          optional
          value={slug}
          onValue={(value) => {
            setSlug(value.toLowerCase());
            if (errors.slug) setErrors((x) => ({ ...x, slug: undefined }));
          }}
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          placeholder="acme"
          error={errors.slug}
          inputClassName="font-mono"
          hint={
            <>
              Lower-case letters, digits and hyphens; what <code className="font-mono">tt --org</code> and the{" "}
              <code className="font-mono">Tt-Organization</code> header take. Made from the name when left empty.
            </>
          }
        />
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={close} pending={pending} label="Create organization" pendingLabel="Creating…" />
      </form>
    </Dialog>
  );
}
