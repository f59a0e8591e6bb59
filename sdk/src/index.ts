// @tuned-tensor/sdk: a typed client for the Tuned Tensor API (/api/v1), derived from its
// contract. Runs wherever fetch does (Node ≥ 22, browsers, edge runtimes); the Node-only
// key precedence (flag > TUNED_TENSOR_API_KEY > the file `tt auth login` writes) is in
// `@tuned-tensor/sdk/node`.
export * from "./client.ts";
export * from "./errors.ts";
export * from "./keys.ts";
export * from "./oidc.ts";
export * from "./rate-limit.ts";
export * from "./retry.ts";
export * from "./generated/contract.ts";
