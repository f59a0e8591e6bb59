import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache, type ReactNode } from "react";
import { z } from "zod";

import { Breadcrumb } from "@/components/ui/breadcrumb";
import { CopyButton } from "@/components/copy-button";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { DomainError } from "@/lib/domain-errors";
import { getBehaviorSpec } from "@/lib/behavior-specs/service";
import { db } from "@/lib/db";
import { plural } from "@/lib/ui/format";

import { requirePageSession } from "@/lib/auth/page-session";
import { DeleteSpecButton } from "./delete-spec-button";

type Params = Promise<{ id: string }>;

/**
 * One of the signed-in user's specs, or notFound(): an id that is not a UUID, an
 * unknown id and someone else's spec all end in the same 404, as the API answers.
 * cache(): generateMetadata and the page share one query.
 */
const loadSpec = cache(async (id: string) => {
  const user = await requirePageSession(`/specs/${encodeURIComponent(id)}`);
  // The list says why the organization's specs are out of reach (its two-factor policy).
  if (user.workspace.blocked) redirect("/specs");
  if (!z.uuid().safeParse(id).success) notFound();
  try {
    return await getBehaviorSpec(db, { organizationId: user.workspace.organization.id, id });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const spec = await loadSpec((await params).id);
  return { title: spec.name };
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-3">
      <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
        {title}
        {count !== undefined ? <Badge>{count}</Badge> : null}
      </h2>
      {children}
    </section>
  );
}

function None({ children }: { children: ReactNode }) {
  return <p className="text-sm text-neutral-500 italic dark:text-neutral-400">{children}</p>;
}

function List({ items }: { items: string[] }) {
  return (
    <ul className="divide-y divide-neutral-200 rounded-lg border border-neutral-200 text-sm dark:divide-neutral-800 dark:border-neutral-800">
      {items.map((item, i) => (
        <li key={i} className="flex gap-3 px-4 py-2.5">
          <span className="w-5 shrink-0 text-right text-neutral-400 tabular-nums select-none">{i + 1}</span>
          <span className="min-w-0 wrap-anywhere whitespace-pre-wrap">{item}</span>
        </li>
      ))}
    </ul>
  );
}

const block =
  "max-h-96 overflow-auto rounded-md bg-neutral-50 px-3 py-2.5 font-mono text-[0.8125rem] leading-relaxed wrap-anywhere whitespace-pre-wrap text-neutral-800 dark:bg-neutral-900 dark:text-neutral-200";

const SPECS = { href: "/specs", label: "Behaviour specs" };

export default async function SpecPage({ params }: { params: Params }) {
  const spec = await loadSpec((await params).id);

  return (
    <div className="space-y-10">
      <div className="space-y-6">
        <Breadcrumb parent={SPECS} current={spec.name} />
        <PageHeader
          title={spec.name}
          description={spec.description ? <span className="whitespace-pre-wrap">{spec.description}</span> : undefined}
          actions={<DeleteSpecButton id={spec.id} name={spec.name} examples={spec.examples.length} />}
        />
        <dl className="grid grid-cols-1 gap-x-8 gap-y-4 rounded-xl border border-neutral-200 p-5 text-sm sm:grid-cols-2 lg:grid-cols-4 dark:border-neutral-800">
          <div className="min-w-0 space-y-1">
            <dt className="text-neutral-500 dark:text-neutral-400">Base model</dt>
            <dd className="font-mono text-[0.8125rem] break-all">{spec.base_model}</dd>
          </div>
          <div className="space-y-1">
            <dt className="text-neutral-500 dark:text-neutral-400">Examples</dt>
            <dd className="tabular-nums">{spec.examples.length.toLocaleString("en-US")}</dd>
          </div>
          <div className="space-y-1">
            <dt className="text-neutral-500 dark:text-neutral-400">Created</dt>
            <dd>
              <LocalTime iso={spec.created_at} format="datetime" />
            </dd>
          </div>
          <div className="space-y-1">
            <dt className="text-neutral-500 dark:text-neutral-400">Updated</dt>
            <dd>
              <LocalTime iso={spec.updated_at} format="relative" />
            </dd>
          </div>
          <div className="min-w-0 space-y-1 sm:col-span-2 lg:col-span-4">
            <dt className="text-neutral-500 dark:text-neutral-400">ID</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <code className="font-mono text-[0.8125rem] break-all">{spec.id}</code>
              <CopyButton value={spec.id} label="Copy ID" size="sm" variant="ghost" />
            </dd>
          </div>
        </dl>
      </div>

      <Section title="System prompt">
        {spec.system_prompt ? <pre className={block}>{spec.system_prompt}</pre> : <None>No system prompt.</None>}
      </Section>

      <div className="grid gap-10 lg:grid-cols-2">
        <Section title="Guidelines" count={spec.guidelines.length}>
          {spec.guidelines.length ? <List items={spec.guidelines} /> : <None>No guidelines.</None>}
        </Section>
        <Section title="Constraints" count={spec.constraints.length}>
          {spec.constraints.length ? <List items={spec.constraints} /> : <None>No constraints.</None>}
        </Section>
      </div>

      <Section title="Examples" count={spec.examples.length}>
        <ol className="space-y-4">
          {spec.examples.map((example, i) => (
            <li key={i} className="rounded-xl border border-neutral-200 dark:border-neutral-800">
              <p className="border-b border-neutral-200 px-4 py-2 text-xs font-medium text-neutral-500 dark:border-neutral-800 dark:text-neutral-400">
                Example {i + 1} <span className="sr-only">of {plural(spec.examples.length, "example")}</span>
              </p>
              <div className="grid gap-4 p-4 md:grid-cols-2">
                <div className="min-w-0 space-y-1.5">
                  <p className="text-xs font-medium tracking-wide text-neutral-500 uppercase dark:text-neutral-400">Input</p>
                  <pre className={block}>{example.input}</pre>
                </div>
                <div className="min-w-0 space-y-1.5">
                  <p className="text-xs font-medium tracking-wide text-neutral-500 uppercase dark:text-neutral-400">Output</p>
                  <pre className={block}>{example.output}</pre>
                </div>
              </div>
            </li>
          ))}
        </ol>
      </Section>
    </div>
  );
}
