import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { API_KEY_LENGTH, crc32, generateApiKey, keyPrefix, parseApiKey } from "@/lib/api-keys/key-format";

describe("API key format", () => {
  it("generates tt_ keys of 52 base62 characters that parse back", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^tt_[0-9A-Za-z]{49}$/);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(parseApiKey(key)).toEqual({ key, prefix: key.slice(0, 11) });
  });

  it("never repeats a key (1,000 draws)", () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });

  it("spreads randomness over the whole alphabet, not a padded corner of it", () => {
    const chars = new Set(Array.from({ length: 200 }, generateApiKey).flatMap((k) => [...k.slice(3, 46)]));
    expect(chars.size).toBe(62);
  });

  it("computes the same CRC-32 as zlib", () => {
    for (const s of ["", "a", "tt_123", "The quick brown fox jumps over the lazy dog"]) expect(crc32(s)).toBe(zlibCrc32(s));
  });

  it("rejects a key with a wrong checksum, a typo, a wrong prefix or a wrong length", () => {
    const key = generateApiKey();
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    expect(parseApiKey(flip(key, 10))).toBeNull(); // typo in the random part
    expect(parseApiKey(flip(key, key.length - 1))).toBeNull(); // typo in the checksum
    expect(parseApiKey(`sk_${key.slice(3)}`)).toBeNull();
    expect(parseApiKey(key.slice(0, -1))).toBeNull();
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey(` ${key}`)).toBeNull();
    expect(parseApiKey("tt_your_api_key")).toBeNull();
    expect(parseApiKey("")).toBeNull();
  });

  it("shows tt_ plus eight characters as the prefix", () => {
    expect(keyPrefix("tt_ABCDEFGHrest")).toBe("tt_ABCDEFGH");
  });
});
