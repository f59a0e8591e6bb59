// Behaviour specs in the dashboard: create one through the form (after a field error),
// find it in the list, open it, delete it; paste JSON; and 404 for specs that are not yours.
import { randomUUID } from "node:crypto";


import { sessionCookie } from "../support/session";
import { APP_URL } from "../support/stack";
import { expect, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

test("create a spec with the form, see it in the list, open it, delete it", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-specs");
  await page.goto("/specs");
  await expect(page).toHaveURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/specs");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expect(page.getByText("No behaviour specs yet")).toBeVisible();

  await page.getByRole("link", { name: "New spec" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs/new");
  await expect(page.getByRole("heading", { name: "New behaviour spec" })).toBeVisible();

  // First try: a name but no examples. Refused in the page, next to the field, before any request.
  let posted = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/v1/behavior-specs")) posted++;
  });
  await page.getByLabel("Name").fill("Support triage");
  await page.getByLabel("Base model").selectOption("Qwen/Qwen3.5-2B");
  await page.getByLabel("Guidelines").fill("Be concise\n\nAsk for the order number\n");
  await page.getByLabel("Constraints").fill("Never promise refunds");
  await page.getByRole("button", { name: "Remove example 1" }).click();
  await page.getByRole("button", { name: "Create spec" }).click();
  const examplesError = page.locator("#spec-examples-error");
  await expect(examplesError).toHaveText(/Add at least one example/);
  await expect(page.getByRole("button", { name: "Add example" })).toHaveAttribute("aria-describedby", "spec-examples-error");
  await expect(page.getByRole("alert").filter({ hasText: "Fix 1 problem" })).toBeVisible();
  expect(posted).toBe(0);
  await shot(page, "spec-form-error");

  // Add two examples; a half-filled one is pointed at precisely.
  await page.getByRole("button", { name: "Add example" }).click();
  await expect(page.getByLabel("Input 1")).toBeFocused();
  await page.getByLabel("Input 1").fill("Where is my order #1234?");
  await page.getByRole("button", { name: "Create spec" }).click();
  await expect(page.locator("#spec-examples-error")).toHaveCount(0);
  await expect(page.getByText("Output must not be empty.").first()).toBeVisible();
  await expect(page.getByLabel("Output 1")).toBeFocused();
  await expect(page.getByLabel("Output 1")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Output 1").fill("Let me check order #1234 for you.\n  It shipped yesterday.");
  await page.getByRole("button", { name: "Add example" }).click();
  await page.getByLabel("Input 2").fill("I want a refund");
  await page.getByLabel("Output 2").fill("I can pass your request to our billing team.");
  await expect(page.getByRole("alert").filter({ hasText: "problem" })).toHaveCount(0);
  await page.getByRole("button", { name: "Create spec" }).click();

  // The spec's own page, every field readable.
  await expect(page).toHaveURL(/\/specs\/[0-9a-f-]{36}$/);
  const specUrl = page.url();
  expect(posted).toBe(1);
  await expect(page.getByRole("heading", { name: "Support triage", level: 1 })).toBeVisible();
  await expect(page.getByText("Qwen/Qwen3.5-2B")).toBeVisible();
  const guidelines = page.getByRole("region", { name: /Guidelines/ });
  await expect(guidelines.getByRole("listitem")).toHaveText([/Be concise/, /Ask for the order number/]);
  await expect(page.getByRole("region", { name: /Constraints/ }).getByRole("listitem")).toHaveText([/Never promise refunds/]);
  const examples = page.getByRole("region", { name: /Examples/ });
  await expect(examples.getByRole("listitem")).toHaveCount(2);
  // Whitespace in examples is kept as typed.
  await expect(examples.locator("pre").nth(1)).toHaveText("Let me check order #1234 for you.\n  It shipped yesterday.");
  await shot(page, "spec-detail");

  // In the list: name, base model, number of examples.
  await page.getByRole("link", { name: "Behaviour specs" }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  const row = page.getByRole("row").filter({ hasText: "Support triage" });
  await expect(row).toContainText("Qwen/Qwen3.5-2B");
  await expect(row.getByRole("cell").nth(2)).toHaveText("2");
  await shot(page, "specs-list");

  // Open it from the list, delete it after a confirmation that names it.
  await row.getByRole("link", { name: "Support triage" }).click();
  await expect(page).toHaveURL(specUrl);
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “Support triage”?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("2 examples");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await shot(page, "spec-delete-confirm");
  await dialog.getByRole("button", { name: "Delete spec" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expect(page.getByText("No behaviour specs yet")).toBeVisible();

  // Its address is now a 404.
  const gone = await page.goto(specUrl);
  expect(gone?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Behaviour spec not found" })).toBeVisible();
});

test("paste JSON: parse errors and schema errors are shown, a valid document creates the spec", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-json");
  await page.goto("/specs/new");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs/new");

  await page.getByLabel("Name").fill("From the form");
  await page.getByRole("tab", { name: "Paste JSON" }).click();
  const json = page.getByLabel("JSON", { exact: true });
  // The form's content carries over, so the shape is there to edit.
  await expect(json).toHaveValue(/"name": "From the form"/);

  await json.fill("{ not json");
  await page.getByRole("button", { name: "Create spec" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This isn't valid JSON" })).toBeVisible();

  await json.fill(JSON.stringify({ name: "Pasted", examples: [{ input: "hi", output: "" }], colour: "blue" }));
  await page.getByRole("button", { name: "Create spec" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "problems" });
  await expect(problems).toContainText("examples.0.output — must not be empty");
  await expect(problems).toContainText("colour — Unknown field");
  await shot(page, "spec-json-errors");

  await json.fill(JSON.stringify({ name: "Pasted", description: "From JSON", examples: [{ input: "hi", output: "hello" }] }, null, 2));
  await page.getByRole("button", { name: "Create spec" }).click();
  await expect(page).toHaveURL(/\/specs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Pasted", level: 1 })).toBeVisible();
  await expect(page.getByText("meta-llama/Llama-3.2-3B-Instruct")).toBeVisible(); // the default
});

test("the server's validation details land on the form's fields", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-details");
  await page.goto("/specs/new");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs/new");
  // A server that disagrees with the browser (e.g. a newer API): its 400 is mapped by path.
  await page.route("**/api/v1/behavior-specs", (route) =>
    route.fulfill({
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({
        error: {
          code: "validation_error",
          message: "Invalid request body",
          details: [
            { path: "name", message: "is already used by another spec" },
            { path: "examples.0.output", message: "must be at most 10 characters" },
            { path: "guidelines.1", message: "must not mention competitors" },
          ],
        },
      }),
    }),
  );
  await page.getByLabel("Name").fill("Duplicate");
  await page.getByLabel("Guidelines").fill("Be kind\nAcme is worse");
  await page.getByLabel("Input 1").fill("hi");
  await page.getByLabel("Output 1").fill("hello there, friend");
  await page.getByRole("button", { name: "Create spec" }).click();
  await expect(page.locator("#spec-name-error")).toHaveText("Name is already used by another spec.");
  await expect(page.getByLabel("Name")).toBeFocused();
  await expect(page.locator("[id$='-output-error']")).toHaveText("Output must be at most 10 characters.");
  await expect(page.locator("#spec-guidelines-error")).toHaveText("Guideline 2 must not mention competitors.");
  await expect(page.getByRole("alert").filter({ hasText: "Fix 3 problems" })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/specs/new");
});

test("someone else's spec, an unknown id and a malformed id are all 404", async ({ page }) => {
  const owner = await signUpUser("e2e-owner");
  const res = await fetch(`${APP_URL}/api/v1/behavior-specs`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: sessionCookie(owner.session), origin: APP_URL },
    body: JSON.stringify({ name: "Private", examples: [{ input: "a", output: "b" }] }),
  });
  expect(res.status).toBe(201);
  const { data } = (await res.json()) as { data: { id: string } };

  const visitor = await signUpUser("e2e-visitor");
  await page.goto("/login");
  await logIn(page, visitor.email, visitor.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  for (const id of [data.id, randomUUID(), "not-a-uuid"]) {
    const response = await page.goto(`/specs/${id}`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { name: "Behaviour spec not found" })).toBeVisible();
    await expect(page.getByText("Private")).toHaveCount(0);
  }
  await shot(page, "spec-not-found");
});
