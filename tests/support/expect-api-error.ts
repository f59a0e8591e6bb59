import { expect } from "vitest";

import type { Res } from "./http";

/** The answer is the error envelope `{"error":{"code","message"}}` with this status and code. */
export function expectApiError(res: Res, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}
