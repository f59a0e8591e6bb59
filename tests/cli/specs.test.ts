// tt specs list | get | create | delete against the running app.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { json, Sandbox, secret } from "./cli";

type Spec = { id: string; name: string; examples: { input: string; output: string }[]; guidelines: string[]; base_model: string };
type Page = { data: Spec[]; meta: { page: number; per_page: number; total: number } };

const SPEC = {
  name: "Support tone",
  description: "Polite, short answers for customer support",
  system_prompt: "You are a helpful support agent.",
  guidelines: ["Greet the customer by name"],
  constraints: ["Never promise refunds"],
  examples: [{ input: "Where is my order?", output: "Sorry for the wait! Could you share your order number?" }],
  base_model: "meta-llama/Llama-3.2-3B-Instruct",
};

let sb: Sandbox;
const file = (name: string, content: unknown) => {
  const path = join(sb.root, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
};

afterAll(() => sb?.cleanup());
beforeAll(async () => {
  const user = await newUser("cli-specs");
  const { key } = secret(await createApiKey(user.session, "cli specs"));
  sb = new Sandbox();
  expect((await sb.run(["auth", "login", key, "--base-url", APP_URL])).code).toBe(0);
});

describe("tt specs", () => {
  it("an empty list says how to create one", async () => {
    const res = await sb.run(["specs", "list"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain("No behaviour specs yet");
    expect(res.stdout).toContain("page 1 of 1 (total 0)");
  });

  it("create --file, get, list --json, delete", async () => {
    const created = await sb.run(["specs", "create", "--file", file("spec.json", SPEC)]);
    expect(created.code, created.output).toBe(0);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)?.[1];
    expect(created.stdout).toContain('Created behaviour spec "Support tone"');
    expect(id).toBeDefined();

    const got = await sb.run(["specs", "get", id!]);
    expect(got.code, got.output).toBe(0);
    expect(got.stdout).toContain("Support tone");
    expect(got.stdout).toContain("- Greet the customer by name");
    expect(got.stdout).toContain("input:  Where is my order?");
    expect(json<Spec>(await sb.run(["specs", "get", id!, "--json"]))).toMatchObject({ id, ...SPEC });

    const list = await sb.run(["specs", "list", "--json"]);
    expect(list.code).toBe(0);
    const page = json<Page>(list);
    expect(page.meta).toEqual({ page: 1, per_page: 20, total: 1 });
    expect(page.data).toEqual([expect.objectContaining({ id, name: "Support tone" })]);

    const table = await sb.run(["specs", "list"]);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+BASE MODEL\s+EXAMPLES\s+UPDATED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+Support tone\\s+meta-llama/Llama-3.2-3B-Instruct\\s+1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`, "m"));

    const deleted = await sb.run(["specs", "delete", id!]);
    expect(deleted.code, deleted.output).toBe(0);
    expect(deleted.stdout).toContain(`Deleted behaviour spec "Support tone" (${id})`);
    const gone = await sb.run(["specs", "get", id!]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("error: 404 not_found: Behaviour spec not found");
  });

  it("create --file - reads standard input; --json prints the created spec", async () => {
    const res = await sb.run(["specs", "create", "--file", "-", "--json"], { input: JSON.stringify({ ...SPEC, name: "From stdin" }) });
    expect(res.code, res.output).toBe(0);
    const spec = json<Spec>(res);
    expect(spec).toMatchObject({ name: "From stdin", examples: SPEC.examples });
    expect((await sb.run(["specs", "delete", spec.id])).code).toBe(0);
  });

  it("validation errors: the server's code, message and every detail path, on stderr, exit 1", async () => {
    const res = await sb.run(["specs", "create", "--file", file("bad.json", { name: "", examples: [], base_model: "gpt-5", colour: "blue" })]);
    expect(res.code, res.output).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("error: 400 validation_error: Invalid request body");
    expect(res.stderr).toMatch(/^ {2}name: must not be empty$/m);
    expect(res.stderr).toMatch(/^ {2}examples: must have at least 1 item$/m);
    expect(res.stderr).toMatch(/^ {2}base_model: must be one of: /m);
    expect(res.stderr).toMatch(/^ {2}colour: Unknown field$/m);

    const nested = await sb.run(["specs", "create", "--file", file("nested.json", { ...SPEC, examples: [{ input: "hi", output: "" }] })]);
    expect(nested.code).toBe(1);
    expect(nested.stderr).toMatch(/^ {2}examples\.0\.output: /m);
  });

  it("a file that is not JSON is refused before any request; a missing file is a usage error", async () => {
    const broken = await sb.run(["specs", "create", "--file", file("broken.json", "{ name: ")]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/);
    const missing = await sb.run(["specs", "create", "--file", join(sb.root, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const noFlag = await sb.run(["specs", "create"]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain("required option '-f, --file <path>' not specified");
  });
});
