import { Alert } from "@/components/ui/alert";

import { focusField, type SpecDraft } from "./use-spec-draft";

/** Every problem of the form in one list, each a link to its field. */
export function ErrorSummary({ draft }: { draft: SpecDraft }) {
  const { errors, problemCount, summary } = draft;
  if (problemCount === 0) return null;
  return (
    <div ref={summary} tabIndex={-1} className="focus:outline-none">
      <Alert tone="error" live="assertive" title={problemCount === 1 ? "Fix 1 problem to create the spec" : `Fix ${problemCount} problems to create the spec`}>
        <ul className="mt-1 list-disc space-y-0.5 pl-4">
          {Object.entries(errors.fields).map(([key, message]) => (
            <li key={key}>
              <button type="button" onClick={() => focusField(key)} className="text-left underline underline-offset-2">
                {message}
              </button>
            </li>
          ))}
          {errors.general.map((message, i) => (
            <li key={`general-${i}`}>{message}</li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}
