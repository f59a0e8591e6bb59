import { LocalTime } from "@/components/local-time";
import type { TotpFactor } from "@/lib/account/totp-factors";

import { RemoveFactorButton } from "./remove-factor-button";

/** The user's verified authenticator apps, each with Remove. */
export function FactorList({ factors }: { factors: TotpFactor[] }) {
  if (factors.length === 0) return null;
  return (
    <ul aria-label="Your authenticator apps" className="divide-y divide-neutral-200 rounded-lg border border-neutral-200 dark:divide-neutral-800 dark:border-neutral-800">
      {factors.map((factor) => (
        <li key={factor.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
          <div className="min-w-0">
            <p className="truncate font-medium text-neutral-900 dark:text-neutral-100">{factor.name}</p>
            <p className="text-xs text-neutral-500 dark:text-neutral-400">
              Authenticator app · added <LocalTime iso={factor.createdAt} format="datetime" />
            </p>
          </div>
          <RemoveFactorButton factorId={factor.id} name={factor.name} />
        </li>
      ))}
    </ul>
  );
}
