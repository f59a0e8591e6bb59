import { ApiError } from "@/lib/contract";
import { withPublic } from "@/lib/api/serve";

// Any /api/v1 path that matches no route — the error envelope, not Next's HTML 404 page
const notFound = withPublic(async (request) => {
  throw new ApiError("not_found", `No such endpoint: ${request.method} ${new URL(request.url).pathname}`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
