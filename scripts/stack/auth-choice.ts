// Which Supabase Auth server the local stack runs, and with which settings.
//
// The real server (GoTrue) wherever a binary can be had: one already on this machine
// (@tuned-tensor/auth-server's findGotrue: TT_GOTRUE_BIN, an `auth` binary on PATH, the
// cached go install), else `go install` of the pinned commit where the Go module proxy
// serves it (this project's build machines are refused: later versions carry a `replace`
// directive, which `go install` does not accept, and the pinned one is not served).
// Where none of that works, TT_AUTH_SERVER=auto (the default) runs the GoTrue-compatible
// server of auth-server/ instead; TT_AUTH_SERVER=gotrue makes it fatal; =compat skips it.
import { existsSync } from "node:fs";
import { dirname } from "node:path";

import {
  AuthSetupError,
  authEnv as serverEnv,
  cachedGotrueBin,
  findGotrue,
  GOTRUE_COMMIT,
  GOTRUE_MODULE_PATH,
  gotrueMigrations,
  type AuthServer,
} from "@tuned-tensor/auth-server/launch";
import type { SigningJwk } from "@tuned-tensor/auth-server/jwt";
import { onPath, run } from "./binaries.ts";
import { AUTH_SETTINGS, CACHE_DIR } from "./config.ts";

export { authCommand, type AuthServer } from "@tuned-tensor/auth-server/launch";
export { AuthSetupError as AuthChoiceError };

/** A GoTrue binary: one at hand, else a `go install` of the pinned commit, else undefined. */
function gotrueBinary(say: (msg: string) => void): string | undefined {
  const found = findGotrue(CACHE_DIR);
  if (found) return found;
  if (process.env.TT_AUTH_SERVER !== "gotrue" && !onPath("go")) return undefined;
  const target = cachedGotrueBin(CACHE_DIR);
  say(`installing Supabase Auth: go install ${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT} → ${target}`);
  const go = run("go", ["install", `${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT}`], { ...process.env, GOBIN: dirname(target), GOFLAGS: "-buildvcs=false" });
  if (go.ok && existsSync(target)) return target;
  // Go's last lines carry the cause ("server response: This module version is not available.").
  const why = go.out.split("\n").map((l) => l.trim()).filter(Boolean).slice(-2).join(" — ") || "go is not installed";
  say(`go install failed: ${why.slice(-240)}`);
  return undefined;
}

/** Decides which server to run; throws (with one sentence) where TT_AUTH_SERVER=gotrue cannot be met. */
export function chooseAuthServer(say: (msg: string) => void): AuthServer {
  const mode = process.env.TT_AUTH_SERVER || "auto";
  if (!["auto", "gotrue", "compat"].includes(mode)) throw new AuthSetupError(`TT_AUTH_SERVER must be auto, gotrue or compat (got "${mode}").`);
  if (mode === "compat") return { kind: "compat" };
  const bin = gotrueBinary(say);
  const migrations = bin && gotrueMigrations(bin, CACHE_DIR);
  if (bin && migrations) return { kind: "gotrue", bin, migrations };
  const why = bin
    ? `found GoTrue at ${bin} but not its migrations/ folder; set TT_GOTRUE_MIGRATIONS to it`
    : "no GoTrue binary (TT_GOTRUE_BIN, `auth` on PATH, or a go install)";
  if (mode === "gotrue") throw new AuthSetupError(`TT_AUTH_SERVER=gotrue, but ${why}.`);
  say(`${why}; using the GoTrue-compatible local auth server (auth-server/README.md).`);
  return { kind: "compat" };
}

/** The settings the chosen server reads (GOTRUE_* as GoTrue names them), for this stack. */
export const authEnv = (jwk: SigningJwk, server: AuthServer) => serverEnv(AUTH_SETTINGS, jwk, server);
