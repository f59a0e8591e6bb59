import type { OperationDefinition } from "../contract/index.ts";

// The examples of the API reference, made from the contract: each operation's method, path,
// credentials and example request (`requestExample`) as a curl command and as a call of the
// SDK (@tuned-tensor/sdk). The OpenAPI document carries the SDK call (`x-codeSamples`, which
// the reference page shows beside the curl it makes itself); docs/API.md's generated
// reference carries both (scripts/generate-api-docs.ts). Pure, and imported by a script run
// under Node's type stripping: relative imports with their extension.

export const PRODUCTION_URL = "https://tunedtensor.com";

/** How an operation is authenticated in its examples: a key when it takes one, else the session, else nothing. */
export function exampleCredential(operation: OperationDefinition): "api_key" | "session" | "none" {
  if (operation.credentials.includes("api_key")) return "api_key";
  return operation.credentials.includes("session") ? "session" : "none";
}

/** The operation's path with its example's parameters filled in. */
export function examplePath(operation: OperationDefinition): string {
  const params = operation.requestExample?.params ?? {};
  return operation.path.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Query values as the SDK takes them: numbers for whole numbers. */
const sdkQuery = (query: Record<string, string>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));

/** JSON indented by two, with arrays of plain values kept on one line. */
export function compactJson(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${indent}  ${compactJson(v, `${indent}  `)}`).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${compactJson(v, `${indent}  `)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A JSON value as a JavaScript literal: identifier keys unquoted. */
export function jsLiteral(value: unknown): string {
  return compactJson(value).replace(/^( *)"([A-Za-z_$][\w$]*)":/gm, "$1$2:");
}

const GITHUB_HEADERS = { "Github-Public-Key-Identifier": "…", "Github-Public-Key-Signature": "…" };
const signedByGitHub = (operation: OperationDefinition) => operation.verbatimBody === true;

/** A shell-quoted single-line JSON body. */
const shellJson = (value: unknown) => `'${JSON.stringify(value).replace(/'/g, `'\\''`)}'`;

/** The operation as a curl command against production. */
export function curlSample(operation: OperationDefinition): string {
  const example = operation.requestExample ?? {};
  const query = example.query ? `?${new URLSearchParams(example.query).toString()}` : "";
  const url = `${PRODUCTION_URL}${examplePath(operation)}${query}`;
  const lines = [`curl${operation.method === "GET" ? "" : ` -X ${operation.method}`} "${url}"`];
  const credential = exampleCredential(operation);
  if (credential === "api_key") lines.push(`-H "Authorization: Bearer $TUNED_TENSOR_API_KEY"`);
  if (credential === "session") {
    // Session only: the dashboard's cookie, and the app's own Origin (the CSRF rule).
    lines.push(`-H "Cookie: sb-<project-ref>-auth-token=<the dashboard's session cookie>"`, `-H "Origin: ${PRODUCTION_URL}"`);
  }
  if (signedByGitHub(operation)) for (const [name, value] of Object.entries(GITHUB_HEADERS)) lines.push(`-H "${name}: ${value}"`);
  if (example.body !== undefined) lines.push(`-H "Content-Type: application/json"`, `-d ${shellJson(example.body)}`);
  return lines.join(" \\\n  ");
}

/** The operation as a call of the SDK. */
export function sdkSample(operationId: string, operation: OperationDefinition): string {
  const example = operation.requestExample ?? {};
  const credential = exampleCredential(operation);
  const client =
    credential === "api_key"
      ? `createClient({ baseUrl: "${PRODUCTION_URL}", apiKey: process.env.TUNED_TENSOR_API_KEY })`
      : credential === "session"
        ? `createClient({ credentials: "same-origin" })`
        : `createClient({ baseUrl: "${PRODUCTION_URL}" })`;
  const init: Record<string, unknown> = {};
  if (example.params) init.params = example.params;
  if (example.query) init.query = sdkQuery(example.query);
  if (example.body !== undefined) init.body = example.body;
  if (signedByGitHub(operation)) init.headers = GITHUB_HEADERS;
  const args = Object.keys(init).length ? `, ${jsLiteral(init)}` : "";
  const result = operation.response.envelope === "page" ? "const { data, meta }" : "const result";
  return [
    `import { createClient } from "@tuned-tensor/sdk";`,
    "",
    ...(credential === "session" ? ["// Session only: in a page on the app's own origin, where the dashboard's cookie goes along."] : []),
    `const tt = ${client};`,
    `${result} = await tt.call("${operationId}"${args});`,
  ].join("\n");
}
