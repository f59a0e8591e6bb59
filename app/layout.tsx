import type { Metadata, Viewport } from "next";

import { APP_ICON } from "@/lib/ui/app-icon";

import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "Tuned Tensor",
    template: "%s · Tuned Tensor",
  },
  description: "Turn a behaviour spec into a fine-tuned small model.",
  icons: { icon: { url: APP_ICON, type: "image/svg+xml" } },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0a0a0a" },
  ],
};

// Each area brings its own chrome: the landing page its header, (auth) a centred
// card, (dashboard) the sidebar shell.
export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
