// The status page's only style sheet and script, inlined as constants so the page needs no
// other request and works offline. Their SHA-256 hashes go into the Content-Security-Policy,
// which therefore allows exactly these two and no other inline code (no 'unsafe-inline').
// The script reads the DOM and reorders or hides rows; it never writes markup.

import { createHash } from "node:crypto";
import type { Severity } from "../status/severity.js";

/** Row tint and badge colour per severity; the browser test checks the page against these. */
export const SEVERITY_COLOURS: Readonly<
  Record<Severity, { readonly row: string; readonly badge: string }>
> = {
  expired: { row: "#f8c9c9", badge: "#7f1d1d" },
  critical: { row: "#fde4e4", badge: "#c81e1e" },
  warning: { row: "#fdf0c8", badge: "#9a5b00" },
  notice: { row: "#e8f0fa", badge: "#2f5f8f" },
  ok: { row: "#ffffff", badge: "#1e6b34" },
};

const severityRules = Object.entries(SEVERITY_COLOURS)
  .map(
    ([severity, colour]) =>
      `tr.sev-${severity}>td{background:${colour.row}}.sev-${severity} .badge,.chip.sev-${severity}{background:${colour.badge};color:#fff}`,
  )
  .join("");

export const STATUS_STYLE = `
:root{color-scheme:light;--line:#d9dde3;--muted:#5b6472;--ink:#1d232b}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f4f6f8}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:0}
.meta{color:var(--muted);margin:0 0 12px}
.summary{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0 0 16px}
.chip{border-radius:999px;padding:3px 12px;background:#e3e7ec;font-weight:600}
.chip.down{background:#c81e1e;color:#fff}
.chip.problem{background:#7a2e8e;color:#fff}
.notice{background:#fff7d6;border:1px solid #e8d48a;border-radius:6px;padding:8px 12px;margin:0 0 16px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 20px;overflow-x:auto}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:12px 20px;padding:12px 14px;border-bottom:1px solid var(--line)}
.bar label{display:flex;align-items:center;gap:8px;color:var(--muted)}
.bar input{font:inherit;padding:5px 9px;width:280px;border:1px solid #b8c0cc;border-radius:6px}
.count{color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 12px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:last-child>td{border-bottom:0}
th{background:#eef1f5;font-weight:600;white-space:nowrap;font-size:13px}
th button{font:inherit;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th button::after{content:"\\2195";color:#9aa3af;margin-left:4px}
th[aria-sort=ascending] button::after{content:"\\2191";color:var(--ink)}
th[aria-sort=descending] button::after{content:"\\2193";color:var(--ink)}
td{overflow-wrap:break-word}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}
.sub{display:block;color:var(--muted);font-size:12px}
.stored{color:var(--muted);font-style:italic;white-space:nowrap}
.uses summary{cursor:pointer;white-space:nowrap}
.uses ul{margin:4px 0 0;padding-left:16px}
.id{font:11.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap;max-width:14em;overflow:hidden;text-overflow:ellipsis}
.badge{display:inline-block;white-space:nowrap;min-width:64px;text-align:center;border-radius:4px;padding:1px 6px;font-size:12px;font-weight:700;background:#6b7280;color:#fff}
.up .badge{background:#1e6b34}.down .badge{background:#c81e1e}.idle .badge{background:#6b7280}
.links{margin:0;padding:0;list-style:none}
.empty{padding:12px 14px;margin:0;color:var(--muted)}
footer{color:var(--muted);padding-bottom:24px}
footer p{margin:4px 0}
code{background:#e9edf2;border-radius:3px;padding:0 4px}
${severityRules}`;

export const STATUS_SCRIPT = `"use strict";
(() => {
  const table = document.getElementById("certificates");
  const input = document.getElementById("filter");
  const count = document.getElementById("shown");
  const none = document.getElementById("no-match");
  if (!table || !input || !count || !none) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const filter = () => {
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let visible = 0;
    for (const row of rows) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((word) => text.includes(word));
      if (!row.hidden) visible += 1;
    }
    count.textContent = visible + " of " + rows.length + " shown";
    none.hidden = visible > 0 || rows.length === 0;
  };
  input.addEventListener("input", filter);
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, column) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = th.dataset.type === "number";
      rows.sort((a, b) => {
        const x = a.cells[column].dataset.sort;
        const y = b.cells[column].dataset.sort;
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return (ascending ? order : -order) || Number(a.dataset.order) - Number(b.dataset.order);
      });
      body.append(...rows);
    });
  });
  if (input.value) filter();
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** Only the inline style and script above; no other source of anything. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(STATUS_SCRIPT)}`,
  `style-src ${cspHash(STATUS_STYLE)}`,
  "img-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
