// Reading a secret or a file from standard input: all of it when piped, and from a
// terminal with a prompt and without echo, so a key never lands in the shell history
// or on the screen.

/** Everything on standard input, as UTF-8. */
export async function readAll(stream: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

// Bracketed-paste markers some terminals wrap around pasted text.
const PASTE_MARKERS = /\u001b\[20[01]~/g;

/**
 * One line from the terminal, typed or pasted, shown as nothing at all. Enter ends it;
 * Backspace works; Ctrl-C aborts (exit 130); Ctrl-D on an empty line gives "".
 */
export function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let value = "";
    const finish = (result: string | null) => {
      input.removeListener("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      if (result === null) {
        process.exit(130);
      }
      resolve(result.replace(PASTE_MARKERS, ""));
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish(value);
        if (ch === "\u0003") return finish(null);
        if (ch === "\u0004") {
          if (value === "") return finish("");
          continue;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch === "\u0015") value = ""; // Ctrl-U: start over
        else value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on("data", onData);
  });
}

/** The key from stdin: prompted for (no echo) on a terminal, read whole when piped. */
export async function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) return promptHidden(prompt);
  return readAll();
}
