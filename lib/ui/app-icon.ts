// The logo's mark as an inline SVG favicon: no file to serve, nothing fetched from elsewhere.
// The app's layout (app/layout.tsx) and the API reference page (lib/api-reference/page.ts) use it.
export const APP_ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#171717"/>' +
      '<g fill="#fff"><rect x="6" y="6" width="3" height="3" rx=".75"/><rect x="10.5" y="6" width="3" height="3" rx=".75" opacity=".6"/>' +
      '<rect x="15" y="6" width="3" height="3" rx=".75" opacity=".35"/><rect x="10.5" y="10.5" width="3" height="3" rx=".75"/>' +
      '<rect x="10.5" y="15" width="3" height="3" rx=".75"/></g></svg>',
  );
