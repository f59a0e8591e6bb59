// The API key format: `tt_` + 43 base62 characters of randomness (32 bytes, 256 bits) +
// a 6-character base62 CRC32 of that random part — GitHub's token design. The prefix
// lets secret scanners find leaked keys; the checksum lets the server (and the CLI)
// reject a mistyped or made-up key without a database query.
//
// Pure: no Node or server imports, so the CLI can check a key offline with the same code.

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX = "tt_";
const RANDOM_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // ceil(32 / log2(62))
const DISPLAY_LENGTH = 8;
/** The length of a key's prefix (`tt_` + 8 characters): what lists show, and all a log may show. */
export const KEY_PREFIX_LENGTH = KEY_PREFIX.length + DISPLAY_LENGTH;
export const API_KEY_LENGTH = KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH; // 52
const KEY_PATTERN = /^tt_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

function toBase62(value: bigint, width: number): string {
  let out = "";
  for (let n = value; n > 0n; n /= 62n) out = ALPHABET[Number(n % 62n)] + out;
  return out.padStart(width, "0");
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const checksumOf = (random: string) => toBase62(BigInt(crc32(random)), CHECKSUM_LENGTH);

/** A new key from 32 bytes of the platform's CSPRNG. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const random = toBase62(value, RANDOM_LENGTH);
  return `${KEY_PREFIX}${random}${checksumOf(random)}`;
}

export type ParsedApiKey = { key: string; prefix: string };

/**
 * Checks shape and checksum; returns null for anything that cannot be a key we issued.
 * Costs a regex and a CRC over 43 bytes, so garbage is turned away before any I/O.
 */
export function parseApiKey(candidate: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const [, random, checksum] = match as unknown as [string, string, string];
  if (checksumOf(random) !== checksum) return null;
  return { key: candidate, prefix: keyPrefix(candidate) };
}

/** `tt_` + the first 8 random characters: what lists show to tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}
