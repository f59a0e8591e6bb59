// Passwords. GoTrue stores bcrypt hashes; Node has no bcrypt, so this server stores scrypt
// hashes in a self-describing format (the parameters travel with the hash). The strength
// rules are GoTrue's length rules (no character classes or HIBP check configured here).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

import { ApiError, badRequest } from "./errors.ts";
import { MAX_PASSWORD_BYTES } from "./deps.ts";

const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
const PATTERN = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

const b64 = (buf: Buffer) => buf.toString("base64").replace(/=+$/, "");

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r });
  return `$scrypt$N=${N},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

/** A stored hash's parts; null if it is not ours or its cost is out of bounds. */
function parseHash(stored: unknown) {
  const m = typeof stored === "string" ? PATTERN.exec(stored) : null;
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4]!, "base64");
  const key = Buffer.from(m[5]!, "base64");
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16 || N * r > 2 ** 22) return null;
  if (salt.length < 8 || key.length < 16 || key.length > 64) return null;
  return { N, r, p, salt, key };
}

export async function verifyPassword(password: string, stored: unknown): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = await scryptAsync(password, salt, key.length, { N, r, p, maxmem: 256 * N * r });
  return timingSafeEqual(candidate, key);
}

/** GoTrue's checkPasswordStrength, length rules only; lengths in UTF-8 bytes like Go's len(). */
export function checkPasswordStrength(password: string, minLength: number) {
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes > MAX_PASSWORD_BYTES) throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  if (bytes < minLength) throw new ApiError(422, "weak_password", `Password should be at least ${minLength} characters.`, { reasons: ["length"] });
}

/** The password grant's weak_password: null when the password meets the rules (GoTrue sends it so). */
export function weakPasswordNotice(password: string, minLength: number): { message: string; reasons: string[] } | null {
  try {
    checkPasswordStrength(password, minLength);
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.weakPassword) return { message: err.message, reasons: err.weakPassword.reasons };
    return null;
  }
}

/** The password the admin API gives a user created without one: long and random. */
export const unusablePassword = () => randomBytes(48).toString("base64url");
