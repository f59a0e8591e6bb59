import type { Metadata } from "next";
import Link from "next/link";

import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "Tuned Tensor",
    template: "%s · Tuned Tensor",
  },
  description:
    "Turn a behaviour spec into a fine-tuned small model.",
};

export default function RootLayout({
  children,
}: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <header className="border-b border-neutral-200 dark:border-neutral-800">
          <nav
            aria-label="Main"
            className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4"
          >
            <Link href="/" className="font-semibold tracking-tight">
              Tuned Tensor
            </Link>
            <Link
              href="/login"
              className="text-sm text-neutral-600 hover:text-neutral-900 dark:text-neutral-400 dark:hover:text-neutral-100"
            >
              Log in
            </Link>
          </nav>
        </header>
        <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-12">
          {children}
        </main>
      </body>
    </html>
  );
}
