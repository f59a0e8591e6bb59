// TOTP (RFC 6238 over RFC 4226's HOTP) as GoTrue uses it through pquerna/otp: 20-byte
// secrets written in unpadded base32, 6 digits, SHA-1, 30-second steps, and a code from
// the step before or after accepted too (skew 1). Pure: the tests compute codes with it.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import { BASE32, encodeBase32 } from "./base32.ts";

export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** A new secret: 20 random bytes, base32 without padding (32 characters), as pquerna/otp's Generate. */
export function newTotpSecret(): string {
  return encodeBase32(randomBytes(20));
}

function decodeBase32(secret: string): Buffer {
  const clean = secret.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = BASE32.indexOf(ch);
    if (i < 0) throw new Error("the secret is not base32");
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code for one step (RFC 4226 §5.3: dynamic truncation of HMAC-SHA-1 of the counter). */
function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return String(binary).padStart(DIGITS, "0");
}

/** The code for the step that `atMs` falls in. */
export function totpCode(secret: string, atMs: number = Date.now()): string {
  return hotp(decodeBase32(secret), Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS));
}

/** Whether `code` is the code of the step of `atMs` or of the step on either side of it. */
export function verifyTotp(secret: string, code: string, atMs: number = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const key = decodeBase32(secret);
  const step = Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);
  let ok = false;
  // Every candidate compared, in constant time: no early exit tells which step matched.
  for (const s of [step - 1, step, step + 1]) {
    if (timingSafeEqual(Buffer.from(hotp(key, s)), Buffer.from(code))) ok = true;
  }
  return ok;
}
