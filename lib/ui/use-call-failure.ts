"use client";

import { useCallback, useState } from "react";

import { failureOf, type ApiFailure, type CallFailure } from "./api";

/**
 * The failed-call state every dashboard action keeps: what to show in an ApiErrorAlert
 * (`failure`), `fail` with a failed result (or a sentence of the form's own), `clear`.
 */
export function useCallFailure() {
  const [failure, setFailure] = useState<CallFailure | null>(null);
  const fail = useCallback((result: ApiFailure | string) => {
    setFailure(typeof result === "string" ? { message: result, login: false } : failureOf(result));
  }, []);
  const clear = useCallback(() => setFailure(null), []);
  return { failure, fail, clear };
}
