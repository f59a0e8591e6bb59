"use client";

import { useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { LimitsDialog } from "@/components/usage-limits/limits-dialog";
import type { Organization } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { limitsText } from "@/lib/ui/usage-limits";

/**
 * The organization's default limits for keys (its policy's `default_key_limits`): every key
 * without its own is held to them, each key counted on its own (not shared). Changed with
 * PATCH /api/v1/organization/policy; raising or removing asks for the second factor.
 */
export function DefaultLimits({ organization, canWrite, onSaved }: { organization: Organization; canWrite: boolean; onSaved: (notice: string) => void }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const limits = organization.policy.default_key_limits;
  return (
    <section aria-labelledby="default-limits-heading" className="max-w-2xl space-y-3">
      <h2 id="default-limits-heading" className="text-base font-semibold">
        Default limits for keys
      </h2>
      <p className="text-sm text-neutral-600 dark:text-neutral-400">
        Every key without limits of its own is held to these, each key counted on its own. A service account&apos;s limits, set in Settings → Service
        accounts, are shared by its keys on top of them.
      </p>
      <p className="text-sm font-medium" data-testid="default-key-limits">
        {limitsText(limits)}
      </p>
      {canWrite ? (
        <Button ref={opener} onClick={() => setOpen(true)}>
          Change default limits
        </Button>
      ) : null}
      <LimitsDialog
        open={open}
        id="default-limits"
        title="Default limits for keys"
        description="Lowering them takes effect on every server when you save. Raising or removing them asks for your second factor if you have one."
        initial={limits}
        save={(next) => callApi("updateOrganizationPolicy", { body: { default_key_limits: next } })}
        finalFocus={opener}
        onClose={() => setOpen(false)}
        onSaved={(next) => {
          setOpen(false);
          onSaved(`Saved the default limits for keys: ${limitsText(next)}.`);
        }}
      />
    </section>
  );
}
