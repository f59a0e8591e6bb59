// tt completion bash | zsh | fish, loaded by the real shells (Debian's bash, zsh and fish;
// npm test installs zsh and fish when missing) and asked what completes a command line.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Sandbox, shellQuote } from "./cli";

let sb: Sandbox;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  sb = new Sandbox();
  for (const shell of ["bash", "zsh", "fish"]) {
    const res = await sb.run(["completion", shell]);
    expect(res.code, res.output).toBe(0);
    scripts[shell] = join(sb.root, `tt.${shell}`);
    writeFileSync(scripts[shell], res.stdout);
  }
  writeFileSync(join(sb.root, "spec.json"), "{}");
});
afterAll(() => sb?.cleanup());

/** What each command line completes to (the last word is the one being completed). */
const CASES: [line: string, expected: string[]][] = [
  ["tt ", ["activity", "auth", "completion", "keys", "members", "orgs", "service-accounts", "specs"]],
  ["tt orgs ", ["list", "show", "switch"]],
  ["tt --org acme service-accounts ", ["create", "delete", "limits", "list"]],
  ["tt keys ", ["limits", "list", "revoke", "show", "usage"]],
  ["tt auth ", ["login", "logout", "status"]],
  ["tt keys l", ["limits", "list"]],
  ["tt --base-url http://localhost:3000 specs ", ["create", "delete", "get", "list"]],
  ["tt specs ls --p", ["--page", "--per-page"]],
  ["tt completion ", ["bash", "fish", "zsh"]],
  ["tt specs create --file sp", ["spec.json"]],
];

const sorted = (text: string) => text.split("\n").filter(Boolean).sort();

describe("tt completion", () => {
  it("bash: an interactive bash sources it and completes each line", async () => {
    const script = CASES.map(
      ([line]) =>
        `read -ra COMP_WORDS <<< ${shellQuote(line)}; [[ ${shellQuote(line)} == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _tt; printf '%s\\n' "\${COMPREPLY[@]}"; echo "#"`,
    ).join("\n");
    const res = await sb.spawn("bash", ["-i", "-c", `source ${shellQuote(scripts.bash!)} || exit 3\ncomplete -p tt || exit 4\n${script}`], {}, "bash -i");
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain("complete -F _tt tt");
    const answers = res.stdout.split("#\n").slice(0, CASES.length);
    CASES.forEach(([line, expected], i) => expect(sorted((answers[i] ?? "").replace(/^complete -F _tt tt\n/, "")), line).toEqual(expected));
  });

  it("zsh: registers _tt with compinit, and its completer offers each line's words", async () => {
    // Inside a real completion the candidates reach compadd through _describe and _files;
    // here those two print what they were given instead.
    const script = CASES.map(([line]) => `words=(\${(z)\${:-${shellQuote(line)}}}); [[ ${shellQuote(line)} == *" " ]] && words+=(""); CURRENT=\${#words}; _tt; print -r -- "#"`).join("\n");
    const res = await sb.spawn(
      "zsh",
      [
        "-i",
        "-c",
        `autoload -U compinit && compinit -u
source ${shellQuote(scripts.zsh!)} || exit 3
print -r -- "registered: $_comps[tt]"
_describe() { local name=\${@[-1]}; print -rl -- \${(M)\${\${(P)name}%%:*}:#\${words[CURRENT]}*} }
_files() { print -rl -- \${words[CURRENT]}*(N) }
_message() { : }
${script}`,
      ],
      {},
      "zsh -i",
    );
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain("registered: _tt");
    const answers = res.stdout.replace(/^registered: _tt\n/, "").split("#\n").slice(0, CASES.length);
    CASES.forEach(([line, expected], i) => expect(sorted(answers[i] ?? ""), line).toEqual(expected));
  });

  it("fish: loads it and completes each line (complete -C)", async () => {
    const script = CASES.map(([line]) => `complete -C ${shellQuote(line)} | string replace -r '\\t.*' ''; echo "#"`).join("\n");
    const res = await sb.spawn("fish", ["--no-config", "-c", `source ${shellQuote(scripts.fish!)}; or exit 3\n${script}`], {}, "fish");
    expect(res.code, res.output).toBe(0);
    const answers = res.stdout.split("#\n").slice(0, CASES.length);
    CASES.forEach(([line, expected], i) => expect(sorted(answers[i] ?? ""), line).toEqual(expected));
  });

  it("an unknown shell is a usage error naming the choices", async () => {
    const res = await sb.run(["completion", "powershell"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Allowed choices are bash, zsh, fish");
  });
});
