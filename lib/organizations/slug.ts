import { organizationSlug } from "@/lib/contract";

// A slug made from an organization's name when none is given: what organizationSlug accepts
// (lower-case letters, digits, inner hyphens, at most 40; never a personal workspace's
// `p-<32 hex>`). Pure (tests/unit/organization-slug.test.ts).

const MAX = 40;

/** "Acme Inc." → "acme-inc"; a name with nothing URL-safe in it → "org". */
export function slugFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX)
    .replace(/-+$/, "");
  if (base === "") return "org";
  return organizationSlug.safeParse(base).success ? base : `org-${base}`.slice(0, MAX).replace(/-+$/, "");
}

/** The n-th try at a free slug: the base, then `base-2`, `base-3`, … (cut to fit 40). */
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
}
