// /api/v1 itself is no endpoint either: the same 404 envelope as any unknown path.
export { GET, POST, PUT, PATCH, DELETE } from "./[...path]/route";
