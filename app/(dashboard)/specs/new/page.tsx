import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/ui/page-header";

import { requireUser } from "@/lib/auth/current-user";
import { SpecForm } from "./spec-form";

export const metadata: Metadata = { title: "New behaviour spec" };

export default async function NewSpecPage() {
  await requireUser("/specs/new");

  return (
    <div className="space-y-8">
      <div className="space-y-6">
        <nav aria-label="Breadcrumb" className="text-sm">
          <ol className="flex flex-wrap items-center gap-1.5 text-neutral-500 dark:text-neutral-400">
            <li>
              <Link href="/specs" className="hover:text-neutral-900 hover:underline underline-offset-4 dark:hover:text-neutral-100">
                Behaviour specs
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="text-neutral-900 dark:text-neutral-100">
              New
            </li>
          </ol>
        </nav>
        <PageHeader
          title="New behaviour spec"
          description="Describe how the model should respond, and show it with examples: each example is an input and the output you want for it."
        />
      </div>
      <SpecForm />
    </div>
  );
}
