"use client";

import { useState } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { switchOrganization } from "@/lib/account/switch-organization";
import { callApi } from "@/lib/ui/api";
import { invitationProblem } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Accept: POST /api/v1/invitations/accept with the link's token, then switch the dashboard to the organization joined. */
export function AcceptInvitationButton({ token, organizationName }: { token: string; organizationName: string }) {
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  async function accept() {
    clear();
    setPending(true);
    const result = await callApi("acceptInvitation", { body: { token } });
    if (!result.ok) {
      setPending(false);
      return fail(result.status === 401 ? result : invitationProblem(result.status, result.code, result.message));
    }
    await switchOrganization(result.data.slug, "/specs");
  }

  return (
    <div className="space-y-4">
      <ApiErrorAlert error={failure} />
      <Button variant="primary" className="w-full" onClick={() => void accept()} disabled={pending}>
        {pending ? "Joining…" : `Accept and join ${organizationName}`}
      </Button>
    </div>
  );
}
