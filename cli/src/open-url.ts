// Which page `tt auth login` may open in a browser, and how. Pure: the URL check and the
// command line are tested without a browser (tests/unit/cli-open-url.test.ts).
//
// The page to open comes from the server (verification_uri_complete). It is opened only
// when it is https: — or http: to this machine — on the very origin tt talks to: a server
// (or anything between it and tt over plain http) must not be able to make tt launch another
// site, a file: or javascript: URL, or an application's own scheme.

/** localhost, 127.0.0.0/8 and ::1: names and addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Whether talking to `baseUrl` sends a new key over plain http to another machine. */
export function isPlainHttpToAnotherMachine(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === "http:" && !isLoopbackHost(url.hostname);
}

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** The server's page to open, as a normalised URL, if it may be opened; else why not. */
export function checkVerificationUrl(candidate: string, baseUrl: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: "it is not a URL" };
  }
  const base = new URL(baseUrl);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    return { ok: false, reason: `only https: pages (or http: on this machine) are opened, not ${url.protocol}` };
  }
  if (url.username || url.password) return { ok: false, reason: "it carries a user name or password" };
  if (url.origin !== base.origin) return { ok: false, reason: `it is not on ${base.origin}` };
  return { ok: true, url: url.href };
}

/**
 * The program and arguments that open `url` (already checked) — run without a shell.
 * BROWSER, when set, names the program to use instead (the URL is its one argument).
 * Windows: rundll32's url.dll,FileProtocolHandler hands the URL to ShellExecute, the way
 * "start" would, but without cmd.exe, whose parser would run whatever follows a & or | in
 * the URL; explorer.exe would do too, but reports failure by exit code even on success.
 */
export function openerFor(url: string, platform: NodeJS.Platform, env: Record<string, string | undefined>): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (platform === "darwin") return ["open", [url]];
  if (platform === "win32") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  return ["xdg-open", [url]];
}
