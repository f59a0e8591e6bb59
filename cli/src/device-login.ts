// `tt auth login` through the browser: the OAuth 2.0 Device Authorization Grant (RFC 8628),
// the API's createDeviceCode and exchangeDeviceCode operations. Neither call carries a
// credential: the device code is the secret, and it never leaves this process.
import { spawn } from "node:child_process";
import { arch, hostname, platform } from "node:os";
import { createInterface } from "node:readline/promises";

import { CLI_AUTHORIZE_PATH, type Scope } from "../../sdk/src/index.js";
import { ApiError, CliError, Client, UsageError } from "./client.js";
import { cliVersion } from "./context.js";
import { checkVerificationUrl, isPlainHttpToAnotherMachine, openerFor } from "./open-url.js";
import { ALL_SCOPES, clean, out, warn } from "./output.js";

/** `--scopes specs:read,keys:read` as a list of known scopes, each once. */
export function parseScopes(value: string): Scope[] {
  const scopes = [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))];
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes: ${unknown.length > 0 ? `unknown scope ${unknown.join(", ")}` : "name at least one scope"}`, [`Scopes: ${ALL_SCOPES.join(", ")}`]);
  }
  return scopes as Scope[];
}

/** "Log in with a browser? (Y/n)": true unless the answer starts with n. */
export async function askForBrowser(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question("Log in with a browser? (Y/n) ");
    return !/^\s*n/i.test(answer);
  } finally {
    rl.close();
  }
}

/** Opens `url` (checked: checkVerificationUrl) in the system's browser, quietly, never through a shell; false when there is no way to. */
function openBrowser(url: string): boolean {
  const [command, args] = openerFor(url, platform(), process.env);
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true, shell: false });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the device flow and returns the new key (the caller checks and stores it exactly as
 * a key given to `tt auth login`). Progress goes to standard error; the key is never printed.
 */
export async function deviceLogin(params: { baseUrl: string; scopes?: Scope[]; browser: boolean; debug?: boolean }): Promise<string> {
  const userAgent = `tt/${cliVersion()} (node ${process.version}; ${process.platform})`;
  // No key: the device code is the credential, sent only in the body.
  const api = new Client({ baseUrl: params.baseUrl, debug: params.debug ?? false, userAgent, networkHint: `Is the server running at ${params.baseUrl}?` });
  const client = { hostname: hostname().slice(0, 100) || "unknown", os: `${platform()} ${arch()}`, version: cliVersion() };
  if (isPlainHttpToAnotherMachine(params.baseUrl)) {
    warn(`${params.baseUrl} is plain http to another machine: the new API key will cross that connection unencrypted. Use an https:// server.`);
  }
  const code = await api.call("createDeviceCode", { body: { ...(params.scopes ? { scopes: params.scopes } : {}), client } }).catch(nothingStored);

  out(`Your one-time code: ${clean(code.user_code)}`);
  // Only a page on the server's own origin is shown or opened; anything else, the approval page tt knows.
  const page = checkVerificationUrl(String(code.verification_uri_complete), params.baseUrl);
  if (!page.ok) warn(`the server asked to open ${clean(String(code.verification_uri_complete))}, which tt does not open: ${page.reason}.`);
  const shown = page.ok ? page.url : `${new URL(params.baseUrl).origin}${CLI_AUTHORIZE_PATH}`;
  out(`Open ${clean(shown)} in a browser signed in to your account, check the code and authorize.`);
  if (params.browser && page.ok && openBrowser(page.url)) out("Opening your browser…");
  out("Waiting for approval (Ctrl-C to stop)…");

  let interval = code.interval;
  const deadline = Date.now() + code.expires_in * 1000;
  while (Date.now() < deadline + interval * 1000) {
    await sleep(interval * 1000);
    try {
      const created = await api.call("exchangeDeviceCode", { body: { device_code: code.device_code } });
      return created.key;
    } catch (error) {
      switch (error instanceof ApiError ? error.code : undefined) {
        case "authorization_pending":
          continue;
        case "slow_down":
          interval += 5;
          continue;
        case "access_denied":
          throw new CliError("the login was denied in the browser. Nothing was stored.");
        case "expired_token":
          throw new CliError("the login request expired before it was approved. Nothing was stored.", 1, ["Run tt auth login again."]);
        default:
          return nothingStored(error);
      }
    }
  }
  throw new CliError("the login request expired before it was approved. Nothing was stored.", 1, ["Run tt auth login again."]);
}

/** Any other refusal, said as the server said it, and that nothing was stored. */
function nothingStored(error: unknown): never {
  if (error instanceof ApiError) throw new ApiError(error.status, error.code, `${error.serverMessage}. Nothing was stored.`, error.details, error.requestId);
  throw error;
}
