import { describe, expect, it } from "vitest";

import { describePasswordError } from "../../lib/account/auth-errors";
import { describeUserAgent } from "../../lib/ui/user-agent";

describe("describeUserAgent", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome on Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", "Firefox on Android"],
    ["curl/8.5.0", "curl"],
    ["", "Unknown browser"],
    [null, "Unknown browser"],
    ["something else", "Unknown browser"],
  ])("%s → %s", (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});

describe("describePasswordError", () => {
  it("points a wrong or missing current password at its field", () => {
    expect(describePasswordError("current_password_invalid", "")).toEqual({ message: "Your current password is not right.", field: "current" });
    expect(describePasswordError("current_password_required", "").field).toBe("current");
  });
  it("keeps the server's minimum length for a weak password", () => {
    expect(describePasswordError("weak_password", "Password should be at least 6 characters.")).toEqual({
      message: "Choose a longer password. Password should be at least 6 characters.",
      field: "password",
    });
  });
  it("has a plain sentence for anything else", () => {
    expect(describePasswordError("unexpected_failure", "boom").message).toBe("Changing the password didn't work. Try again.");
  });
});

describe("clipUserAgent (what is recorded of a request's User-Agent)", () => {
  it("drops C0 controls, DEL and C1 controls, keeps everything else, cuts at 512 characters", async () => {
    const { clipUserAgent, USER_AGENT_MAX } = await import("../../lib/http/user-agent");
    expect(clipUserAgent("curl/8.5.0")).toBe("curl/8.5.0");
    expect(clipUserAgent("a\u001b[31mb\u0000c\u0007d\u007fe\u009b31mf\u0085g\u0080h\u009fi\tj\nk")).toBe("a[31mbcde31mfghijk");
    expect(clipUserAgent("Mozilla/5.0 (Ünïcödé; 日本語) ")).toBe("Mozilla/5.0 (Ünïcödé; 日本語) ");
    for (let c = 0; c < 0xa0; c++) {
      const kept = clipUserAgent(`x${String.fromCharCode(c)}y`);
      expect(kept, `U+${c.toString(16)}`).toBe(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? "xy" : `x${String.fromCharCode(c)}y`);
    }
    expect(clipUserAgent("\u009b\u0085")).toBeNull();
    expect(clipUserAgent(null)).toBeNull();
    expect(clipUserAgent("x".repeat(600))).toHaveLength(USER_AGENT_MAX);
    expect(clipUserAgent(`${"\u0085".repeat(100)}${"x".repeat(600)}`)).toHaveLength(USER_AGENT_MAX);
  });
});
