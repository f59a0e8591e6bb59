import Link from "next/link";

import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ApiKeyNotFound() {
  return (
    <EmptyState
      title="API key not found"
      action={
        <Link href="/settings/api-keys" className={buttonClasses({ variant: "secondary" })}>
          Back to API keys
        </Link>
      }
    >
      There is no key at this address in your account. The link may be wrong.
    </EmptyState>
  );
}
