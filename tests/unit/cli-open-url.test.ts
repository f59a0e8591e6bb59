// The CLI's rules for opening the server's approval page (cli/src/open-url.ts): pure.
import { describe, expect, it } from "vitest";

import { checkVerificationUrl, isLoopbackHost, isPlainHttpToAnotherMachine, openerFor } from "../../cli/src/open-url";

describe("checkVerificationUrl", () => {
  const https = "https://tunedtensor.com";
  const local = "http://localhost:3000";

  it("opens https: pages on the base URL's origin, and http: ones when that origin is this machine", () => {
    expect(checkVerificationUrl("https://tunedtensor.com/cli/authorize?code=BCDF-GHJK", https)).toEqual({ ok: true, url: "https://tunedtensor.com/cli/authorize?code=BCDF-GHJK" });
    expect(checkVerificationUrl("https://TunedTensor.com:443/cli/authorize", https)).toEqual({ ok: true, url: "https://tunedtensor.com/cli/authorize" });
    expect(checkVerificationUrl("http://localhost:3000/cli/authorize", local).ok).toBe(true);
    expect(checkVerificationUrl("http://127.0.0.1:3000/cli/authorize", "http://127.0.0.1:3000").ok).toBe(true);
    expect(checkVerificationUrl("http://[::1]:3000/cli/authorize", "http://[::1]:3000").ok).toBe(true);
  });

  it.each([
    ["another host", "https://evil.example/cli/authorize", https],
    ["a look-alike host", "https://tunedtensor.com.evil.example/cli/authorize", https],
    ["another port", "https://tunedtensor.com:8443/cli/authorize", https],
    ["http on the same host", "http://tunedtensor.com/cli/authorize", https],
    ["plain http to another machine, even as the base", "http://app.internal/cli/authorize", "http://app.internal"],
    ["file:", "file:///etc/passwd", https],
    ["javascript:", "javascript:alert(1)", https],
    ["data:", "data:text/html,<script>alert(1)</script>", https],
    ["an application's scheme", "ms-settings:privacy", https],
    ["a user name", "https://user@tunedtensor.com/cli/authorize", https],
    ["a password", "http://u:p@localhost:3000/cli/authorize", local],
    ["not a URL", "cli/authorize", https],
    ["cmd's metacharacters elsewhere", "https://evil.example/?a&calc.exe|b^c", https],
  ])("refuses %s", (_, candidate, base) => {
    const check = checkVerificationUrl(candidate, base);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).not.toBe("");
  });

  it("hands the opener the normalised URL, so an & or | stays inside one argument", () => {
    expect(checkVerificationUrl("https://tunedtensor.com/cli/authorize?code=A&x=|calc", https)).toEqual({ ok: true, url: "https://tunedtensor.com/cli/authorize?code=A&x=|calc" });
  });
});

describe("isLoopbackHost / isPlainHttpToAnotherMachine", () => {
  it("knows this machine's names and addresses", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["localhost.evil.example", "127.0.0.1.nip.io", "10.0.0.1", "192.0.2.2", "::ffff:10.0.0.1", "tunedtensor.com"]) expect(isLoopbackHost(host), host).toBe(false);
  });
  it("warns for http to anything but this machine", () => {
    expect(isPlainHttpToAnotherMachine("http://10.0.0.5:3000")).toBe(true);
    expect(isPlainHttpToAnotherMachine("http://app.internal")).toBe(true);
    expect(isPlainHttpToAnotherMachine("http://localhost:3000")).toBe(false);
    expect(isPlainHttpToAnotherMachine("http://127.0.0.1:3000")).toBe(false);
    expect(isPlainHttpToAnotherMachine("https://tunedtensor.com")).toBe(false);
  });
});

describe("openerFor", () => {
  const url = "https://tunedtensor.com/cli/authorize?code=A&b=|c";
  it("never goes through cmd.exe on Windows: rundll32's FileProtocolHandler, the URL one argument", () => {
    expect(openerFor(url, "win32", {})).toEqual(["rundll32", ["url.dll,FileProtocolHandler", url]]);
  });
  it("uses open on macOS, xdg-open elsewhere, and BROWSER when set", () => {
    expect(openerFor(url, "darwin", {})).toEqual(["open", [url]]);
    expect(openerFor(url, "linux", {})).toEqual(["xdg-open", [url]]);
    expect(openerFor(url, "linux", { BROWSER: "/usr/bin/firefox" })).toEqual(["/usr/bin/firefox", [url]]);
    expect(openerFor(url, "win32", { BROWSER: "" })[0]).toBe("rundll32");
  });
});
