"use client";

// The last resort, when the root layout itself fails: it replaces the whole document,
// so it brings its own <html> and <body> and no app styles it cannot rely on.
export default function GlobalError({ error }: { error: unknown }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh", margin: 0 }}>
        <main role="alert" style={{ maxWidth: 420, padding: 24, textAlign: "center" }}>
          <h1 style={{ fontSize: 20 }}>Tuned Tensor is having trouble</h1>
          <p style={{ color: "#525252", fontSize: 14 }}>Something went wrong on our side. Reload the page in a moment.</p>
          {digest ? <p style={{ color: "#737373", fontFamily: "monospace", fontSize: 12 }}>Reference: {digest}</p> : null}
        </main>
      </body>
    </html>
  );
}
