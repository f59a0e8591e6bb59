import { LogoutButton } from "@/components/logout-button";

/** Who is signed in, and the way out. */
export function UserPanel({ email }: { email: string | null }) {
  const name = email ?? "Signed in";
  return (
    <div className="space-y-3">
      <div className="flex min-w-0 items-center gap-2.5">
        <span
          aria-hidden="true"
          className="flex size-8 shrink-0 items-center justify-center rounded-full bg-neutral-900 text-sm font-medium text-white uppercase dark:bg-neutral-100 dark:text-neutral-900"
        >
          {name.charAt(0)}
        </span>
        <div className="min-w-0">
          <p className="text-xs text-neutral-500 dark:text-neutral-400">Signed in as</p>
          <p className="truncate text-sm font-medium" title={name}>
            {name}
          </p>
        </div>
      </div>
      <LogoutButton fullWidth />
    </div>
  );
}
