// Well-formed API keys made to share their first characters with another: the checksum is
// computed as lib/api-keys/key-format.ts does (and parseApiKey accepts the result).
import { crc32 } from "../../lib/api-keys/key-format.ts";

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = (value: number, width: number) => {
  let out = "";
  for (let n = value; n > 0; n = Math.floor(n / 62)) out = BASE62[n % 62] + out;
  return out.padStart(width, "0");
};

/** A well-formed key for a 43-character random part: its CRC32 checksum appended. */
export const keyFor = (random: string) => `tt_${random}${base62(crc32(random), 6)}`;

/** A different valid key whose first `shared` random characters are `key`'s (the rest from `fill`). */
export function twinOf(key: string, shared: number, fill: (i: number) => string = () => BASE62[Math.floor(Math.random() * 62)]!): string {
  const random = key.slice(3, 46);
  for (;;) {
    const rest = Array.from({ length: 43 - shared }, (_, i) => fill(i)).join("");
    const twin = keyFor(random.slice(0, shared) + rest);
    if (twin !== key) return twin;
  }
}
