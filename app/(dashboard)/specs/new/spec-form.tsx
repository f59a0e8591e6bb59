"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button, buttonClasses } from "@/components/ui/button";
import type { CreateBehaviorSpecInput } from "@/lib/contract";
import { callApi, type ApiErrorDetail } from "@/lib/ui/api";
import { mapDetails, toSpecRequest, validateSpec } from "@/lib/ui/spec-form";
import { useCallFailure } from "@/lib/ui/use-call-failure";

import { ErrorSummary } from "./error-summary";
import { ExamplesEditor } from "./examples-editor";
import { BasicsFields, InstructionsFields } from "./spec-fields";
import { SpecJsonPanel } from "./spec-json-panel";
import { SpecTabs, type Tab } from "./spec-tabs";
import { useSpecDraft } from "./use-spec-draft";

/** Sends a checked spec; the server's validation `details`, if any, go to `onDetails`. */
export type Send = (body: CreateBehaviorSpecInput, onDetails: (details: ApiErrorDetail[]) => void) => Promise<void>;

/**
 * New behaviour spec: a form, or pasted JSON. Both are checked in the browser with the
 * API's own schema (createBehaviorSpecInput) before anything is sent, and the server's
 * validation `details` land on the same fields if it still disagrees. This component
 * owns the tabs and the sending; the parts own their fields.
 */
export function SpecForm() {
  const router = useRouter();
  const draft = useSpecDraft();
  const [tab, setTab] = useState<Tab>("form");
  const [json, setJson] = useState("");
  const { failure, fail, clear } = useCallFailure();
  const [pending, setPending] = useState(false);

  const send: Send = async (body, onDetails) => {
    setPending(true);
    clear();
    const result = await callApi("createBehaviorSpec", { body });
    if (result.ok) {
      // Stay "pending" while the spec's page loads.
      router.push(`/specs/${result.data.id}`);
      router.refresh();
      return;
    }
    setPending(false);
    if (result.code === "validation_error" && result.details.length > 0) onDetails(result.details);
    else fail(result);
  };

  async function submitForm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { body, exampleKeys } = toSpecRequest(draft.values);
    const checked = validateSpec(body);
    if (!checked.ok) {
      draft.showErrors(mapDetails(checked.details, exampleKeys));
      return;
    }
    draft.clearErrors();
    await send(checked.data, (details) => draft.showErrors(mapDetails(details, exampleKeys)));
  }

  function selectTab(next: Tab) {
    if (next === "json" && json.trim() === "") {
      // Start from what the form holds, so switching loses nothing and shows the shape.
      setJson(`${JSON.stringify(toSpecRequest(draft.values).body, null, 2)}\n`);
    }
    setTab(next);
  }

  const footer = (
    <>
      <ApiErrorAlert error={failure} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Link href="/specs" className={buttonClasses({ variant: "secondary" })}>
          Cancel
        </Link>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create spec"}
        </Button>
      </div>
    </>
  );

  return (
    <div className="space-y-6">
      <SpecTabs tab={tab} select={selectTab} />

      <div role="tabpanel" id="panel-form" aria-labelledby="tab-form" hidden={tab !== "form"}>
        <form onSubmit={submitForm} noValidate className="space-y-6">
          <ErrorSummary draft={draft} />
          <BasicsFields draft={draft} />
          <InstructionsFields draft={draft} />
          <ExamplesEditor draft={draft} />
          {footer}
        </form>
      </div>

      <div role="tabpanel" id="panel-json" aria-labelledby="tab-json" hidden={tab !== "json"}>
        <SpecJsonPanel json={json} setJson={setJson} send={send} footer={footer} />
      </div>
    </div>
  );
}
