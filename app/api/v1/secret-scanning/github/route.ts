import { methodNotAllowed, serve } from "@/lib/api/serve";
import { handleGitHubReport } from "@/lib/leaks/github-report";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// POST /api/v1/secret-scanning/github — GitHub's signed secret scanning report: verify, revoke every live key reported, label each token
export const POST = serve(operations.reportGitHubSecretScanning, ({ request, body }) => handleGitHubReport(db, request.headers, body));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/secret-scanning/github"));
