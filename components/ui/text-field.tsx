import type { InputHTMLAttributes, ReactNode } from "react";

import { FieldError, FieldHint, Label, describedBy, inputClasses } from "./field";

/**
 * A labelled one-line input with its hint (`${id}-hint`) and error (`${id}-error`), both
 * tied to it with aria-describedby; aria-invalid while `error` is set. Other attributes
 * (maxLength, autoComplete, placeholder, data-autofocus, …) go to the input.
 */
export function TextField({
  id,
  label,
  optional,
  hint,
  error,
  onValue,
  inputClassName,
  ...input
}: {
  id: string;
  label: ReactNode;
  optional?: boolean;
  hint?: ReactNode;
  error?: string | null;
  onValue: (value: string) => void;
  inputClassName?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "className" | "aria-invalid" | "aria-describedby">) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id} optional={optional}>
        {label}
      </Label>
      <input
        id={id}
        {...input}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : null, error && `${id}-error`)}
        className={inputClasses(Boolean(error), inputClassName)}
      />
      {hint ? <FieldHint id={`${id}-hint`}>{hint}</FieldHint> : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
