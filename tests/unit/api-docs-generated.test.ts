// docs/API.md's reference part is what scripts/generate-api-docs.ts makes of lib/contract
// today: regenerated here and compared, so a contract changed without `npm run generate:docs`
// fails. And the examples it (and the OpenAPI document) shows are the contract's own.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { curlSample, examplePath, jsLiteral, sdkSample } from "@/lib/api-reference/code-samples";
import { operations, type OperationDefinition } from "@/lib/contract";

import { API_MD, END, render, renderReference, START } from "../../scripts/generate-api-docs.ts";

const contract = operations as Record<string, OperationDefinition>;

describe("docs/API.md's generated reference", () => {
  it("is up to date with lib/contract (run npm run generate:docs when this fails)", () => {
    const text = readFileSync(API_MD, "utf8");
    expect(text.split(START).length, "one start marker").toBe(2);
    expect(text.split(END).length, "one end marker").toBe(2);
    expect(text.slice(text.indexOf(START) + START.length + 1, text.indexOf(END))).toBe(renderReference());
  });

  it("keeps the hand-written guide around it as it is", () => {
    const guide = "# Guide\n\nkept\n\n" + START + "\nstale\n" + END + "\n\nafter\n";
    const out = render(guide);
    expect(out.startsWith("# Guide\n\nkept\n\n" + START + "\n")).toBe(true);
    expect(out.endsWith(END + "\n\nafter\n")).toBe(true);
    expect(out).not.toContain("stale");
    expect(() => render("# no markers\n")).toThrow(/markers/);
  });

  it("has a section, a curl command and an SDK call for every operation", () => {
    const reference = renderReference();
    for (const [id, operation] of Object.entries(contract)) {
      expect(reference, id).toContain(`<a id="${id}"></a>`);
      expect(reference, id).toContain(`\`${operation.method} ${operation.path}\``);
      expect(reference, id).toContain(curlSample(operation));
      expect(reference, id).toContain(sdkSample(id, operation));
    }
  });
});

describe("the examples (lib/api-reference/code-samples.ts)", () => {
  it("call the SDK by operationId with the example's parameters, query and body", () => {
    expect(sdkSample("rollApiKey", contract.rollApiKey!)).toBe(
      [
        'import { createClient } from "@tuned-tensor/sdk";',
        "",
        "// Session only: in a page on the app's own origin, where the dashboard's cookie goes along.",
        'const tt = createClient({ credentials: "same-origin" });',
        'const result = await tt.call("rollApiKey", {',
        "  params: {",
        '    id: "0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d"',
        "  },",
        "  body: {",
        "    grace_seconds: 3600",
        "  }",
        "});",
      ].join("\n"),
    );
    expect(sdkSample("listBehaviorSpecs", contract.listBehaviorSpecs!)).toContain("const { data, meta } = await tt.call(\"listBehaviorSpecs\", {\n  query: {\n    page: 1,\n    per_page: 20\n  }\n});");
    expect(sdkSample("getHealth", contract.getHealth!)).toContain('createClient({ baseUrl: "https://tunedtensor.com" });\nconst result = await tt.call("getHealth");');
    expect(sdkSample("getMe", contract.getMe!)).toContain("apiKey: process.env.TUNED_TENSOR_API_KEY");
  });

  it("send a key, the session with the app's Origin, or nothing, as the operation takes", () => {
    expect(curlSample(contract.getMe!)).toBe('curl "https://tunedtensor.com/api/v1/me" \\\n  -H "Authorization: Bearer $TUNED_TENSOR_API_KEY"');
    const create = curlSample(contract.createApiKey!);
    expect(create).toContain('-H "Origin: https://tunedtensor.com"');
    expect(create).not.toContain("Authorization");
    expect(create).toContain(`-d '{"name":"CI","expires_at":"2027-01-01T00:00:00Z","scopes":["specs:read","keys:read"]}'`);
    expect(curlSample(contract.getApiKeyUsage!)).toContain("/api/v1/api-keys/0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d/usage?days=30&granularity=day");
    expect(curlSample(contract.reportGitHubSecretScanning!)).toContain("Github-Public-Key-Signature");
    expect(examplePath(contract.listApiKeys!)).toBe("/api/v1/api-keys");
  });

  it("quote a body for the shell and write JavaScript literals", () => {
    const quoted = curlSample({ ...contract.createBehaviorSpec!, requestExample: { body: { name: "it's" } } });
    expect(quoted).toContain(`-d '{"name":"it'\\''s"}'`);
    expect(jsLiteral({ a: 1, "b-c": [1, "x"], d: [{ e: null }] })).toBe('{\n  a: 1,\n  "b-c": [1, "x"],\n  d: [\n    {\n      e: null\n    }\n  ]\n}');
  });
});
