import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// eslint-config-next 16 ships native flat configs, so no FlatCompat bridge is
// needed. globalIgnores replaces the package's default ignore list, which is
// why .next and next-env.d.ts are repeated here.
const eslintConfig = defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-bench/**",
    "node_modules/**",
    ".stack/**",
    "playwright-report/**",
    "test-results/**",
    "next-env.d.ts",
    "cli/dist/**",
    "sdk/dist/**",
  ]),
]);

export default eslintConfig;
