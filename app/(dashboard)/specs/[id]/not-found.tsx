import Link from "next/link";

import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function SpecNotFound() {
  return (
    <EmptyState
      title="Behaviour spec not found"
      action={
        <Link href="/specs" className={buttonClasses({ variant: "secondary" })}>
          Back to behaviour specs
        </Link>
      }
    >
      There is no spec at this address in your account. It may have been deleted, or the link may be wrong.
    </EmptyState>
  );
}
