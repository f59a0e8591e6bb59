// The QR code of a new TOTP factor, for an <img>. Supabase Auth draws it as an SVG with one
// <rect> per module, white ones included (about 3,000 of them, some 250 KB); auth-js hands it
// on as `data:image/svg+xml;utf-8,<svg…>`. Redrawn here as one path of the dark modules —
// a few KB — and URL-encoded so that the data URI is valid whatever the SVG holds. Anything
// that is not that SVG is passed on encoded as it is. Pure.

const RECT = /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" style="fill:black;stroke:none" \/>/g;

export function qrCodeDataUri(qrCode: string): string {
  const svg = qrCode.replace(/^data:image\/svg\+xml;[^,]*,/, "");
  const size = /<svg width="(\d+)" height="(\d+)"/.exec(svg);
  let compact = svg;
  if (size) {
    let d = "";
    for (const [, x, y, w, h] of svg.matchAll(RECT)) d += `M${x} ${y}h${w}v${h}h-${w}z`;
    if (d) {
      compact =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${size[1]}" height="${size[2]}" viewBox="0 0 ${size[1]} ${size[2]}" shape-rendering="crispEdges">` +
        `<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
    }
  }
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(compact)}`;
}

/** A code as typed (spaces and dashes allowed: "123 456"), or null unless it is 6 digits. */
export function normalizeTotpCode(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}
