// tt specs list | get | create | delete — behaviour specs
import { readFileSync } from "node:fs";

import type { Command } from "commander";

import type { BehaviorSpec as Spec, CreateBehaviorSpecInput } from "../../../sdk/src/index.js";
import { CliError, UsageError } from "../client.js";
import type { GlobalOptions } from "../config.js";
import { connect, pageOptions, parseId, type PageOptions } from "../context.js";
import { clean, cleanBlock, formatDate, out, pageFooter, printJson, table } from "../output.js";
import { readAll } from "../stdin.js";

type JsonOption = GlobalOptions & { json?: boolean };

const EXAMPLE_FILE = `{
  "name": "Support tone",
  "description": "Polite, short answers for customer support",
  "system_prompt": "You are a helpful support agent.",
  "guidelines": ["Greet the customer by name"],
  "constraints": ["Never promise refunds"],
  "examples": [{ "input": "Where is my order?", "output": "Sorry for the wait! Could you share your order number?" }],
  "base_model": "meta-llama/Llama-3.2-3B-Instruct"
}`;

export function registerSpecs(program: Command): void {
  const specs = program.command("specs").description("list, show, create and delete behaviour specs");

  pageOptions(specs.command("list").alias("ls").description("list your behaviour specs, newest first")).action(
    async (_options: unknown, command: Command) => list(command.optsWithGlobals<GlobalOptions & PageOptions>()),
  );

  specs
    .command("get")
    .description("show one behaviour spec")
    .argument("<id>", "the spec's ID (see tt specs list)", parseId)
    .option("--json", "print the spec as JSON")
    .action(async (id: string, _options: unknown, command: Command) => get(id, command.optsWithGlobals<JsonOption>()));

  specs
    .command("create")
    .description("create a behaviour spec from a JSON file")
    .requiredOption("-f, --file <path>", 'the spec as JSON; "-" reads standard input')
    .option("--json", "print the created spec as JSON")
    .addHelpText(
      "after",
      `
Required fields: name, examples (1–500 {input, output} pairs). Optional: description,
system_prompt, guidelines, constraints, base_model. Unknown fields are refused. Example file:

${EXAMPLE_FILE}`,
    )
    .action(async (_options: unknown, command: Command) => create(command.optsWithGlobals<JsonOption & { file: string }>()));

  specs
    .command("delete")
    .alias("rm")
    .description("delete a behaviour spec for good")
    .argument("<id>", "the spec's ID (see tt specs list)", parseId)
    .option("--json", "print the deleted spec as JSON")
    .action(async (id: string, _options: unknown, command: Command) => remove(id, command.optsWithGlobals<JsonOption>()));
}

async function list(options: GlobalOptions & PageOptions): Promise<void> {
  const { client } = await connect(options);
  const page = await client.call("listBehaviorSpecs", { query: { page: options.page, per_page: options.perPage } });
  if (options.json) return printJson(page);
  if (page.data.length === 0) {
    out(page.meta.total === 0 ? "No behaviour specs yet. Create one with: tt specs create --file spec.json" : "No specs on this page.");
  } else {
    out(
      table(
        [
          { header: "ID", value: (s: Spec) => s.id },
          { header: "NAME", value: (s) => s.name, max: 40, min: 12 },
          { header: "BASE MODEL", value: (s) => s.base_model, min: 16 },
          { header: "EXAMPLES", value: (s) => String(s.examples.length), drop: 1 },
          { header: "UPDATED", value: (s) => formatDate(s.updated_at), drop: 2 },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt specs list"));
}

const indent = (text: string, by = "    ") => cleanBlock(text).replace(/\n/g, `\n${by}`);

function printSpec(spec: Spec): void {
  out(`${clean(spec.name)}`);
  out(`  id:          ${spec.id}`);
  out(`  base model:  ${clean(spec.base_model)}`);
  out(`  created:     ${formatDate(spec.created_at)}`);
  out(`  updated:     ${formatDate(spec.updated_at)}`);
  out(`  description: ${spec.description === null ? "-" : indent(spec.description, "               ")}`);
  out(`  system prompt:${spec.system_prompt === null ? " -" : `\n    ${indent(spec.system_prompt)}`}`);
  for (const [label, items] of [
    ["guidelines", spec.guidelines],
    ["constraints", spec.constraints],
  ] as const) {
    out(`  ${label} (${items.length}):`);
    for (const item of items) out(`    - ${indent(item, "      ")}`);
  }
  out(`  examples (${spec.examples.length}):`);
  spec.examples.forEach((example, i) => {
    const n = `${i + 1}.`.padEnd(4);
    out(`    ${n}input:  ${indent(example.input, " ".repeat(16))}`);
    out(`        output: ${indent(example.output, " ".repeat(16))}`);
  });
}

async function get(id: string, options: JsonOption): Promise<void> {
  const { client } = await connect(options);
  const spec = await client.call("getBehaviorSpec", { params: { id } });
  if (options.json) printJson(spec);
  else printSpec(spec);
}

async function readSpecFile(file: string): Promise<{ text: string; label: string }> {
  if (file === "-") {
    if (process.stdin.isTTY) throw new UsageError('--file - reads the spec from standard input; pipe it in: tt specs create --file - < spec.json');
    return { text: await readAll(), label: "standard input" };
  }
  try {
    return { text: readFileSync(file, "utf8"), label: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message}`);
  }
}

async function create(options: JsonOption & { file: string }): Promise<void> {
  const { text, label } = await readSpecFile(options.file);
  // Parsed here only to point at the mistake; the server checks what it holds.
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${label} is not valid JSON: ${(error as Error).message}`, 1, ["Run tt specs create --help for an example file."]);
  }
  const { client } = await connect(options);
  const spec = await client.call("createBehaviorSpec", { body: body as CreateBehaviorSpecInput });
  if (options.json) printJson(spec);
  else out(`Created behaviour spec "${clean(spec.name)}" (${spec.id}).`);
}

async function remove(id: string, options: JsonOption): Promise<void> {
  const { client } = await connect(options);
  const spec = await client.call("deleteBehaviorSpec", { params: { id } });
  if (options.json) printJson(spec);
  else out(`Deleted behaviour spec "${clean(spec.name)}" (${spec.id}).`);
}
