import type { Metadata, Viewport } from "next";

import "./globals.css";

// The logo's mark as an inline SVG favicon: no file to serve, nothing fetched from elsewhere.
const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#171717"/>' +
      '<g fill="#fff"><rect x="6" y="6" width="3" height="3" rx=".75"/><rect x="10.5" y="6" width="3" height="3" rx=".75" opacity=".6"/>' +
      '<rect x="15" y="6" width="3" height="3" rx=".75" opacity=".35"/><rect x="10.5" y="10.5" width="3" height="3" rx=".75"/>' +
      '<rect x="10.5" y="15" width="3" height="3" rx=".75"/></g></svg>',
  );

export const metadata: Metadata = {
  title: {
    default: "Tuned Tensor",
    template: "%s · Tuned Tensor",
  },
  description: "Turn a behaviour spec into a fine-tuned small model.",
  icons: { icon: { url: ICON, type: "image/svg+xml" } },
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
