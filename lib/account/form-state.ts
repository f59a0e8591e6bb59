// What a form's Server Action hands back to the page that shows it (useActionState), and
// what the page renders again with JavaScript off. Pure: no secrets, nothing server-only.

export type FormState =
  | { status: "idle" }
  | { status: "error"; message: string; field?: string | undefined; email?: string | undefined }
  | { status: "done"; message: string; email?: string | undefined };

export const IDLE: FormState = { status: "idle" };

/** A form field as text ("" when absent or a file). */
export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}
