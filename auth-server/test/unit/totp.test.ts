// TOTP as the server and the tests compute it: RFC 6238's SHA-1 test vectors, six digits,
// the steps either side accepted.
import { describe, expect, it } from "vitest";

import { newTotpSecret, totpCode, verifyTotp } from "../../src/totp.ts";

// RFC 6238 appendix B: the ASCII secret "12345678901234567890", base32-encoded.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP", () => {
  it.each([
    [59, "287082"],
    [1111111109, "081804"],
    [1111111111, "050471"],
    [1234567890, "005924"],
    [2000000000, "279037"],
  ])("RFC 6238 at %i s gives %s (the vector's last six digits)", (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });

  it("accepts the code of the step before and after, not two steps away", () => {
    const at = 1_700_000_000_000;
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, at - 30_000), at)).toBe(true);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, at + 30_000), at)).toBe(true);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, at + 60_000), at)).toBe(false);
    expect(verifyTotp(RFC_SECRET, "12345", at)).toBe(false);
    expect(verifyTotp(RFC_SECRET, "abcdef", at)).toBe(false);
  });

  it("makes 32-character base32 secrets (160 bits), each new", () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
  });
});
