"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import type { Organization } from "@/lib/contract";
import { ROLE_LABELS } from "@/lib/ui/organizations";

import { DefaultLimits } from "./default-limits";
import { DeleteOrganization } from "./delete-organization";
import { OrganizationDetailsForm } from "./organization-details-form";
import { PolicyForm } from "./policy-form";

export function OrganizationSettings({ organization, canWrite, hasTwoFactor }: { organization: Organization; canWrite: boolean; hasTwoFactor: boolean }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const notices = useRef<HTMLDivElement>(null);

  function saved(text: string) {
    setNotice(text);
    notices.current?.focus();
    router.refresh();
  }

  return (
    <div className="space-y-10">
      <div>
        <PageHeader
          eyebrow="Settings"
          title="Organization"
          description={
            organization.personal
              ? "Your personal workspace: yours alone, made with your account."
              : `${organization.name}: its name, its policies and, for owners, deleting it. Your role: ${organization.role ? ROLE_LABELS[organization.role] : "none"}.`
          }
        />
        <div ref={notices} tabIndex={-1} role="status" className="mt-6 focus:outline-none empty:mt-0">
          {notice ? <Alert tone="success">{notice}</Alert> : null}
        </div>
        {canWrite ? null : (
          <Alert tone="info" className="mt-6">
            Only owners and admins can change these settings; you can read them.
          </Alert>
        )}
      </div>
      <OrganizationDetailsForm organization={organization} canWrite={canWrite} onSaved={saved} />
      <PolicyForm organization={organization} canWrite={canWrite} onSaved={saved} />
      <DefaultLimits organization={organization} canWrite={canWrite} onSaved={saved} />
      <DeleteOrganization organization={organization} hasTwoFactor={hasTwoFactor} />
    </div>
  );
}
