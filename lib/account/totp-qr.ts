// The QR code of a new TOTP factor, for an <img>. Supabase Auth draws it as an SVG with one
// <rect> per module, white ones included (about 4,800 rects, 360 KB for a 69-module code);
// auth-js hands it on as `data:image/svg+xml;utf-8,<svg…>`. Redrawn here in module units as
// one path, a stroke per run of dark modules in a row — about 11 KB — and escaped so the
// data URI is valid whatever the SVG holds. Anything that is not that SVG is passed on,
// escaped, as it is. Pure.

const RECT = /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" style="fill:black;stroke:none" \/>/g;

/** What a data URI must not hold raw (RFC 2397 / URL syntax), escaped; the rest stays readable. */
const escapeForDataUri = (svg: string) => svg.replace(/[%#<>"'{}|\\^`\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);

export function qrCodeDataUri(qrCode: string): string {
  const svg = qrCode.replace(/^data:image\/svg\+xml;[^,]*,/, "");
  const size = /<svg width="(\d+)" height="(\d+)"/.exec(svg);
  const rects = [...svg.matchAll(RECT)].map(([, x, y, w]) => ({ x: Number(x), y: Number(y), w: Number(w) }));
  let out = svg;
  const block = rects[0]?.w;
  if (size && block) {
    // Rows of dark modules, in module units.
    const rows = new Map<number, number[]>();
    for (const r of rects) {
      const row = rows.get(r.y / block) ?? [];
      row.push(r.x / block);
      rows.set(r.y / block, row);
    }
    let d = "";
    for (const [y, cols] of rows) {
      cols.sort((a, b) => a - b);
      for (let i = 0; i < cols.length; ) {
        let j = i;
        while (j + 1 < cols.length && cols[j + 1] === cols[j]! + 1) j++;
        // A 1-unit stroke along the row's middle: "M4,4.5h2" paints modules 4 and 5 of row 4.
        d += `M${cols[i]},${y + 0.5}h${j - i + 1}`;
        i = j + 1;
      }
    }
    const side = Number(size[1]) / block;
    out =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${size[1]}" height="${size[2]}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
      `<rect width="100%" height="100%" fill="#fff"/><path stroke="#000" d="${d}"/></svg>`;
  }
  return `data:image/svg+xml;charset=utf-8,${escapeForDataUri(out)}`;
}

/** A code as typed (spaces and dashes allowed: "123 456"), or null unless it is 6 digits. */
export function normalizeTotpCode(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}
