// What `tt auth login --web` opens: only the server's own https: page (or http: on this
// machine), never a page elsewhere, a file: or a javascript: URL — whatever the server sends
// as verification_uri_complete. A stub server plays the app's device endpoints; the browser
// is a script named by BROWSER that writes down what it was asked to open. Over plain http
// to another machine, tt warns before the flow starts.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { Sandbox } from "./cli";

let server: Server;
let port: number;
// What the stub answers as the page to open; each test sets it.
let pageToOpen = "";
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1/cli/device-codes") {
        res.writeHead(201).end(
          JSON.stringify({
            data: {
              device_code: "A".repeat(43),
              user_code: "BCDF-GHJK",
              verification_uri: pageToOpen,
              verification_uri_complete: pageToOpen,
              expires_in: 600,
              interval: 1,
            },
          }),
        );
      } else if (req.url === "/api/v1/cli/token") {
        // The person said no: tt ends after its first poll.
        res.writeHead(400).end(JSON.stringify({ error: { code: "access_denied", message: "denied" } }));
      } else res.writeHead(404).end("{}");
    });
  });
  // Every interface: the warning's test reaches it by a non-loopback address.
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server?.close());
afterEach(() => sandbox?.cleanup());

/** tt auth login --web against `base`, with a BROWSER that records what it opens; the URLs opened and tt's output. */
async function login(base: string, page: string) {
  pageToOpen = page;
  const sb = (sandbox = new Sandbox());
  const opened = join(sb.root, "opened.txt");
  const browser = join(sb.root, "browser.sh");
  writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  chmodSync(browser, 0o755);
  const res = await sb.run(["auth", "login", "--web", "--base-url", base], { env: { BROWSER: browser } });
  // The opener runs detached: give it a moment to write (it only ever appends).
  for (let i = 0; i < 20 && !existsSync(opened) && res.output.includes("Opening your browser"); i++) await new Promise((r) => setTimeout(r, 50));
  return { res, opened: existsSync(opened) ? readFileSync(opened, "utf8").trim().split("\n") : [] };
}

describe("tt auth login --web opens", () => {
  it("the server's own approval page", async () => {
    const base = `http://127.0.0.1:${port}`;
    const { res, opened } = await login(base, `${base}/cli/authorize?code=BCDF-GHJK`);
    expect(res.code, res.output).toBe(1);
    expect(res.output).toContain("denied");
    expect(opened).toEqual([`${base}/cli/authorize?code=BCDF-GHJK`]);
    expect(res.stderr).not.toContain("plain http");
  });

  it.each([
    ["another site", "https://evil.example/cli/authorize?code=BCDF-GHJK"],
    ["another port of this machine", "http://127.0.0.1:1/cli/authorize"],
    ["a file", "file:///etc/passwd"],
    ["a script", "javascript:alert(1)"],
    ["an application's scheme", "ms-settings:privacy"],
    ["cmd's metacharacters on another origin", "https://evil.example/?a=1&calc.exe|x^y"],
    ["credentials in the URL", "http://user:pass@127.0.0.1:PORT/cli/authorize"],
    ["not a URL at all", "not a url"],
  ])("not %s: nothing opened, a warning, and the page tt knows printed instead", async (_, page) => {
    const base = `http://127.0.0.1:${port}`;
    const { res, opened } = await login(base, page.replace("PORT", String(port)));
    expect(res.code, res.output).toBe(1);
    expect(opened).toEqual([]);
    expect(res.stderr).toMatch(/warning: the server asked to open .* which tt does not open/);
    expect(res.stdout).toContain(`Open ${base}/cli/authorize in a browser`);
  });
});

describe("over plain http to another machine", () => {
  it("tt warns before the flow that the new key crosses the connection unencrypted", async () => {
    // 0.0.0.0 is not a loopback name, so the CLI treats it as another machine, while the
    // connection still reaches this stub (Linux connects 0.0.0.0 to a local address): the
    // test needs no network interface besides lo and sends nothing off this machine.
    const base = `http://0.0.0.0:${port}`;
    const { res, opened } = await login(base, `${base}/cli/authorize?code=BCDF-GHJK`);
    expect(res.stderr).toMatch(new RegExp(`warning: http://0\\.0\\.0\\.0:${port} is plain http to another machine: the new API key will cross that connection unencrypted`));
    // Plain http to another machine is not opened either.
    expect(opened).toEqual([]);
  });
});
