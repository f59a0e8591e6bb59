// Runs the tt CLI as a user would: a separate process, its own HOME and XDG_CONFIG_HOME in
// a temporary folder, nothing inherited from the test runner's environment but PATH. Which
// tt: the one installed from the package's tarball when TT_CLI_BIN names it (npm test packs
// and installs it into an empty prefix: scripts/lib/cli-package.ts), else the workspace's
// build (cli/bin/tt.js → cli/dist; npm run build:cli). Every run is checked for full API
// keys in its output (a key may appear only masked, tt_AbCdEfGh…) and, off a terminal, for
// colour codes.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const INSTALLED = process.env.TT_CLI_BIN || undefined;
const BUILT = fileURLToPath(new URL("../../cli/bin/tt.js", import.meta.url));

/** The tt under test, and how it is started: the installed `tt` itself, or Node with the workspace's bin. */
export const CLI = INSTALLED
  ? { kind: "installed" as const, bin: INSTALLED, argv: [INSTALLED] }
  : { kind: "workspace" as const, bin: BUILT, argv: [process.execPath, BUILT] };

if (INSTALLED ? !existsSync(INSTALLED) : !existsSync(fileURLToPath(new URL("../../cli/dist/cli/src/index.js", import.meta.url)))) {
  throw new Error(INSTALLED ? `TT_CLI_BIN=${INSTALLED} does not exist` : "the CLI is not built (cli/dist is missing): run npm run build:cli first");
}

/** PATH for a run: the installed tt's directory first, so that `tt` in a shell is the one under test. */
const PATH = [INSTALLED ? dirname(INSTALLED) : dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(delimiter);

/** A word for sh, quoted. */
export const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

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

export type TerminalOptions = { env?: Record<string, string | undefined>; columns?: number };

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

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    // tt's default server is the production service: no test may reach it, whatever the
    // machine's network. Node sends every https request through this proxy, where nothing
    // listens (the app under test is plain http, reached directly).
    const env: Record<string, string> = { PATH, HOME: this.home, XDG_CONFIG_HOME: this.xdg, NODE_USE_ENV_PROXY: "1", HTTPS_PROXY: "http://127.0.0.1:9" };
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env as NodeJS.ProcessEnv;
  }

  /** tt with `args`, its output piped (not a terminal): no colour code may appear. */
  async run(args: string[], options: RunOptions = {}): Promise<Result> {
    const [command, ...prefix] = CLI.argv as [string, ...string[]];
    const result = await this.spawn(command, [...prefix, ...args], options, `tt ${args[0] ?? ""}`);
    if (result.output.includes("\u001b")) throw new Error(`tt ${args.join(" ")} printed a terminal escape code to a pipe:\n${JSON.stringify(result.output)}`);
    return result;
  }

  /**
   * tt in a real terminal: a pseudo-terminal from util-linux's `script`, `columns` wide.
   * Its output comes back as the terminal got it, with \r\n line ends made \n.
   */
  async runInTerminal(args: string[], { env, columns = 80 }: TerminalOptions = {}): Promise<Result> {
    const command = `stty cols ${columns} rows 50; exec ${[...CLI.argv, ...args].map(shellQuote).join(" ")}`;
    const result = await this.spawn("script", ["-qec", command, "/dev/null"], { env }, `tt ${args[0] ?? ""}`);
    const stdout = result.stdout.replace(/\r\n/g, "\n");
    return { ...result, stdout, output: stdout };
  }

  /** Any program in this sandbox's environment, e.g. a shell loading tt's completion. */
  spawn(command: string, args: string[], options: RunOptions = {}, label = command): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env: this.env(options.env), cwd: this.root, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const output = stdout + stderr;
        for (const key of secrets) {
          // Not expect(output).not.toContain(key): its failure message would print the key.
          if (output.includes(key)) return reject(new Error(`${label} printed a full API key (${mask(key)}); keys may appear only masked`));
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
