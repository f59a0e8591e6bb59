// Runs the built tt CLI (npm run build:cli) as a user would: a separate Node process,
// its own HOME and XDG_CONFIG_HOME in a temporary folder, nothing inherited from the
// test runner's environment but PATH. Every run is checked for full API keys in its
// output: a key may appear only masked (tt_AbCdEfGh…).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../cli/dist/cli/src/index.js", import.meta.url));

if (!existsSync(CLI)) throw new Error(`the CLI is not built (${CLI} is missing): run npm run build:cli first`);

// Every key a test has seen. No CLI output may contain one of them whole.
const secrets = new Set<string>();

/** Registers a full key so that every later run fails if its output contains it. */
export function secret<T extends { key: string }>(created: T): T {
  secrets.add(created.key);
  return created;
}

export const mask = (key: string) => `${key.slice(0, 11)}…`;

export type Result = { code: number | null; stdout: string; stderr: string; output: string };

export type RunOptions = {
  /** Extra environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to standard input, which is then closed. */
  input?: string;
};

/** A fresh HOME and XDG_CONFIG_HOME for one test. */
export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), "tt-cli-"));
  readonly home = join(this.root, "home");
  readonly xdg = join(this.root, "xdg");

  constructor() {
    mkdirSync(this.home, { mode: 0o700 });
  }

  /** Where tt keeps its credentials when XDG_CONFIG_HOME is this sandbox's. */
  get configDir(): string {
    return join(this.xdg, "tuned-tensor");
  }

  get configFile(): string {
    return join(this.configDir, "config.json");
  }

  /** The default location, under HOME, used when XDG_CONFIG_HOME is unset or empty. */
  get homeConfigFile(): string {
    return join(this.home, ".config", "tuned-tensor", "config.json");
  }

  run(args: string[], options: RunOptions = {}): Promise<Result> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: this.home, XDG_CONFIG_HOME: this.xdg };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: env as NodeJS.ProcessEnv, cwd: this.root, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const output = stdout + stderr;
        for (const key of secrets) {
          // Not expect(output).not.toContain(key): its failure message would print the key.
          if (output.includes(key)) return reject(new Error(`tt ${args[0] ?? ""} printed a full API key (${mask(key)}); keys may appear only masked`));
        }
        resolve({ code, stdout, stderr, output });
      });
      child.stdin.end(options.input ?? "");
    });
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A TCP port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Parses a run's stdout as JSON, with the output in the error when it is not. */
export function json<T = Record<string, unknown>>(result: Result): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.output}`);
  }
}
