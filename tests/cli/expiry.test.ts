// The CLI and a key that expires: a warning on stderr when the key expires within 7 days,
// at most once a day per key (the state is in the config directory; the clock is injected
// with TUNED_TENSOR_NOW, never waited for), nothing for a key far from expiry or without
// one, and `tt auth status` saying when.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { json, mask, Sandbox, secret } from "./cli";

const DAY = 86_400_000;
let user: Awaited<ReturnType<typeof newUser>>;
let sandbox: Sandbox;
beforeAll(async () => {
  user = await newUser("cli-expiry");
});
afterEach(() => sandbox?.cleanup());

const WARNING = /warning: this API key \(tt_[0-9A-Za-z]{8}…\) expires in (\d+) days?/g;

describe("a key that expires soon", () => {
  it("warns on stderr at most once a day per key, with an injected clock", async () => {
    sandbox = new Sandbox();
    const expiresAt = new Date(Date.now() + 5 * DAY).toISOString();
    const created = secret(await createApiKey(user.session, "cli soon", expiresAt));
    const run = (at: number) => sandbox.run(["specs", "list", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: created.key, TUNED_TENSOR_NOW: new Date(at).toISOString() } });

    const first = await run(Date.now());
    expect(first.code, first.output).toBe(0);
    expect([...first.stderr.matchAll(WARNING)].map((m) => m[1])).toEqual(["4"]);
    expect(first.stderr).toContain(mask(created.key));
    expect(first.stderr).toContain(expiresAt);
    expect(first.stdout).not.toMatch(/expires/); // stdout stays the command's own output

    // Twice more the same day: silent.
    expect((await run(Date.now() + 60_000)).stderr).not.toMatch(WARNING);
    expect((await run(Date.now() + 20 * 3_600_000)).stderr).not.toMatch(WARNING);
    // The next day: once more, with one day less.
    const nextDay = await run(Date.now() + DAY + 3_600_000);
    expect([...nextDay.stderr.matchAll(WARNING)].map((m) => m[1])).toEqual(["3"]);
    // What it remembers is the prefix, never the key.
    const state = readFileSync(join(sandbox.configDir, "expiry-warnings.json"), "utf8");
    expect(state).toContain(created.key.slice(0, 11));
    expect(state).not.toContain(created.key);
  });

  it("says nothing for a key more than 7 days from expiry, or without an expiry", async () => {
    sandbox = new Sandbox();
    const far = secret(await createApiKey(user.session, "cli far", new Date(Date.now() + 30 * DAY).toISOString()));
    const never = secret(await createApiKey(user.session, "cli never"));
    for (const key of [far.key, never.key]) {
      const res = await sandbox.run(["specs", "list", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: key } });
      expect(res.code, res.output).toBe(0);
      expect(res.stderr).not.toMatch(/expires/);
    }
  });

  it("tt auth status shows when the key expires (and never, for one that does not)", async () => {
    sandbox = new Sandbox();
    const expiresAt = new Date(Date.now() + 3 * DAY + 3_600_000).toISOString();
    const soon = secret(await createApiKey(user.session, "cli status", expiresAt));
    const res = await sandbox.run(["auth", "status", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: soon.key } });
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`expires: ${expiresAt} (in 3 days)`);
    const report = json<{ key_expires_at: string | null }>(await sandbox.run(["auth", "status", "--json", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: soon.key } }));
    expect(report.key_expires_at).toBe(expiresAt);

    const never = secret(await createApiKey(user.session, "cli status never"));
    const plain = await sandbox.run(["auth", "status", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: never.key } });
    expect(plain.stdout).toContain("expires: never");
  });
});
