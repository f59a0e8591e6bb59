import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

import { requirePageSession } from "@/lib/auth/page-session";
import { SpecForm } from "./spec-form";

export const metadata: Metadata = { title: "New behaviour spec" };

const SPECS = { href: "/specs", label: "Behaviour specs" };

export default async function NewSpecPage() {
  const user = await requirePageSession("/specs/new");
  if (user.workspace.blocked) return <OrganizationBlocked title="New behaviour spec" reason={user.workspace.blocked} />;

  return (
    <div className="space-y-8">
      <div className="space-y-6">
        <Breadcrumb parent={SPECS} current="New" />
        <PageHeader
          title="New behaviour spec"
          description="Describe how the model should respond, and show it with examples: each example is an input and the output you want for it."
        />
      </div>
      <SpecForm />
    </div>
  );
}
