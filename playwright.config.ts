import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium, never a browser Playwright downloads. The server is started by
// scripts/test.ts (one production build shared with the integration tests).
const executablePath = process.env.TT_CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: process.env.TT_APP_URL ?? "http://localhost:3100",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          // The closed network here refuses Chromium's background connections; these
          // flags stop it from trying (and from stalling on them).
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
});
