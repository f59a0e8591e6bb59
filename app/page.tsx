import Link from "next/link";

export default function HomePage() {
  return (
    <section className="max-w-2xl space-y-6">
      <h1 className="text-4xl font-semibold tracking-tight">
        Describe the behaviour. Get a fine-tuned model.
      </h1>
      <p className="text-lg text-neutral-600 dark:text-neutral-400">
        Tuned Tensor turns a behaviour spec, a plain description of how a model
        should respond, into a small model fine-tuned to follow it. Manage
        specs and API keys in the dashboard, or drive everything from the{" "}
        <code className="rounded bg-neutral-100 px-1 py-0.5 text-base dark:bg-neutral-800">
          tt
        </code>{" "}
        CLI and the REST API.
      </p>
      <div className="flex flex-wrap gap-3">
        <Link
          href="/login"
          className="rounded-md bg-neutral-900 px-4 py-2 text-sm font-medium text-white hover:bg-neutral-700 dark:bg-white dark:text-neutral-900 dark:hover:bg-neutral-200"
        >
          Log in
        </Link>
        <Link
          href="/signup"
          className="rounded-md border border-neutral-300 px-4 py-2 text-sm font-medium hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-900"
        >
          Sign up
        </Link>
        {/* A plain <a>: the OpenAPI document is a route handler, not a page, so
            client-side navigation (and Link's prefetch) does not apply. */}
        <a
          href="/api/v1/openapi.json"
          className="rounded-md px-4 py-2 text-sm font-medium text-neutral-600 hover:text-neutral-900 dark:text-neutral-400 dark:hover:text-neutral-100"
        >
          API reference (OpenAPI)
        </a>
      </div>
    </section>
  );
}
