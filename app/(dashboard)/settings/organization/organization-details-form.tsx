"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { switchOrganization } from "@/lib/account/switch-organization";
import { issueDetails } from "@/lib/contract/errors";
import { updateOrganizationInput, type Organization } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

type Errors = { name?: string; slug?: string };

/** Name and slug: PATCH /api/v1/organization. A new slug is switched to at once (the dashboard remembers the organization by it). */
export function OrganizationDetailsForm({ organization, canWrite, onSaved }: { organization: Organization; canWrite: boolean; onSaved: (notice: string) => void }) {
  const [name, setName] = useState(organization.name);
  const [slug, setSlug] = useState(organization.slug);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const input = {
      ...(name.trim() !== organization.name ? { name: name.trim() } : {}),
      ...(!organization.personal && slug.trim() !== organization.slug ? { slug: slug.trim() } : {}),
    };
    if (Object.keys(input).length === 0) return onSaved("Nothing to save: the name and slug are unchanged.");
    const parsed = updateOrganizationInput.safeParse(input);
    if (!parsed.success) {
      const fields: Errors = {};
      for (const { path, message } of issueDetails(parsed.error, input)) {
        if (path === "name") fields.name ??= `Name ${message}.`;
        if (path === "slug") fields.slug ??= `Slug ${message}.`;
      }
      setErrors(fields);
      document.getElementById(fields.name ? "org-name" : "org-slug")?.focus();
      return;
    }
    setErrors({});
    setPending(true);
    const result = await callApi("updateOrganization", { body: parsed.data });
    setPending(false);
    if (!result.ok) {
      if (result.code === "conflict" && parsed.data.slug) {
        setErrors({ slug: "That slug is taken. Choose another." });
        return;
      }
      return fail(result);
    }
    if (result.data.slug !== organization.slug) {
      await switchOrganization(result.data.slug, "/settings/organization");
      return;
    }
    onSaved(`Saved: the organization is now called “${result.data.name}”.`);
  }

  return (
    <section aria-labelledby="details-heading" className="space-y-4">
      <h2 id="details-heading" className="text-base font-semibold">
        Name and slug
      </h2>
      <form onSubmit={submit} noValidate className="max-w-xl space-y-4">
        <div className="space-y-1.5">
          <Label htmlFor="org-name">Name</Label>
          <input
            id="org-name"
            value={name}
            readOnly={!canWrite}
            onChange={(e) => {
              setName(e.target.value);
              setErrors((x) => ({ ...x, name: undefined }));
            }}
            maxLength={100}
            autoComplete="organization"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy(errors.name && "org-name-error")}
            className={inputClasses(Boolean(errors.name))}
          />
          <FieldError id="org-name-error">{errors.name}</FieldError>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="org-slug">Slug</Label>
          <input
            id="org-slug"
            value={slug}
            readOnly={!canWrite || organization.personal}
            onChange={(e) => {
              setSlug(e.target.value.toLowerCase());
              setErrors((x) => ({ ...x, slug: undefined }));
            }}
            maxLength={40}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.slug ? true : undefined}
            aria-describedby={describedBy("org-slug-hint", errors.slug && "org-slug-error")}
            className={inputClasses(Boolean(errors.slug), "font-mono")}
          />
          <FieldHint id="org-slug-hint">
            {organization.personal
              ? "A personal workspace keeps its slug."
              : "What tt --org and the Tt-Organization header take. Scripts that name the old slug stop finding it."}
          </FieldHint>
          <FieldError id="org-slug-error">{errors.slug}</FieldError>
        </div>
        <ApiErrorAlert error={failure} />
        {canWrite ? (
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        ) : null}
      </form>
    </section>
  );
}
