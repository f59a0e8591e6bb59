import Link from "next/link";

/** Any URL that matches no page. (Unknown /api/v1 paths get the JSON envelope instead.) */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center px-6 text-center">
      <p className="font-mono text-sm text-neutral-500">404</p>
      <h1 className="mt-2 text-2xl font-semibold">This page does not exist</h1>
      <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">The address may be mistyped, or the page has moved.</p>
      <Link href="/" className="mt-6 rounded-md bg-neutral-900 px-4 py-2 text-sm font-medium text-white hover:bg-neutral-700 dark:bg-white dark:text-neutral-900">
        Go to the start page
      </Link>
    </main>
  );
}
