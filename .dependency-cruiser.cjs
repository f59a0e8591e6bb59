// The import rules of docs/ARCHITECTURE.md ("Imports"), checked by `npm run lint:deps`
// (dependency-cruiser; `npm test` runs it right after eslint). Imports point down:
//   app → lib/api → lib/auth → lib/<domain> → lib/http, lib/contract, lib/db (and lib/*.ts)
// scripts/ and tests/: tests may import scripts (the stack's settings, shared helpers in
// scripts/lib/), scripts never import tests; lib/ imports neither.

// The floor: request facts, the contract, the database and the settings. They import only
// one another (and packages), never a domain, lib/auth, lib/api or the app.
const FLOOR = "^lib/(http/|contract/|db[^/]*\\.ts$|env[^/]*\\.ts$|local-defaults\\.ts$|public-env\\.ts$|domain-errors\\.ts$|answerable-rows\\.ts$|bounded-cache\\.ts$|cache-caps\\.ts$)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "lib-not-to-app",
      comment: "Nothing in lib/ imports the app (pages, routes, components, proxy.ts, instrumentation.ts).",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app/|components/|proxy\\.ts$|instrumentation\\.ts$)" },
    },
    {
      name: "lib-not-to-scripts-or-tests",
      comment: "lib/ is the app's code; scripts/ and tests/ use it, never the other way.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(scripts|tests)/" },
    },
    {
      name: "scripts-not-to-tests",
      comment: "One direction only: tests use the scripts (the stack's settings, scripts/lib/ helpers), never the other way.",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^tests/" },
    },
    {
      name: "lib-api-only-from-routes",
      comment: "lib/api/ (serve, the envelope, body reading, the document) is for route handlers (app/api/**) only (and their tests).",
      severity: "error",
      from: { path: "^", pathNot: "^(app/api/|lib/api/|tests/)" },
      to: { path: "^lib/api/" },
    },
    {
      name: "auth-above-domains",
      comment:
        "lib/auth decides who is calling; the domains below it (and the floor) never import it. " +
        "lib/cli-login/authorize-actions.ts is a Server Action (a flow above auth, like the account " +
        "flows still in lib/auth/forms); it moves up with them (issue 26, item 2).",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/(api|auth)/|^lib/cli-login/authorize-actions\\.ts$" },
      to: { path: "^lib/auth/" },
    },
    {
      name: "floor-imports-only-floor",
      comment: "lib/http, lib/contract, lib/db*.ts, lib/env*.ts … are below every domain.",
      severity: "error",
      from: { path: FLOOR },
      to: { path: "^lib/", pathNot: FLOOR },
    },
    {
      name: "activity-below-domains",
      comment: "The audit trail (lib/activity) is written by every domain, so it imports none of them.",
      severity: "error",
      from: { path: "^lib/activity/" },
      to: { path: "^lib/(api-keys|behavior-specs|cli-login|leaks|account|mail|cron|supabase|security|ui)/" },
    },
    {
      name: "contract-only-zod",
      comment: "lib/contract is pure: it imports zod and its own files, nothing else.",
      severity: "error",
      from: { path: "^lib/contract/" },
      to: { pathNot: "^(lib/contract/|node_modules/zod/)" },
    },
    {
      name: "sdk-cli-no-server-code",
      comment:
        "The SDK's and the CLI's run-time code share no server code: only the SDK's own files and the pure " +
        "lib/api-keys/key-format.ts (sdk/check/ and sdk/scripts/ read the contract at build time).",
      severity: "error",
      from: { path: "^(sdk/src|cli/src)/" },
      to: { path: "^(lib|app|components|scripts|tests|bench)/|^(proxy|instrumentation)\\.ts$", pathNot: "^lib/api-keys/key-format\\.ts$" },
    },
    {
      name: "sdk-not-to-cli",
      comment: "The CLI uses the SDK, not the other way.",
      severity: "error",
      from: { path: "^sdk/" },
      to: { path: "^cli/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing would hide a dependency from these rules.",
      severity: "error",
      from: { path: "^(app|lib|components|sdk/src|cli/src)/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: "(^|/)(\\.next|dist)/" },
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
