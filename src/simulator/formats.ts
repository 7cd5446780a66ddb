// Time and PEM text in the exact forms the simulated APIs print. Pure string helpers; they parse
// nothing and read no clock.

/** `2045-11-17T13:25:47Z` (ELB v3). */
export function formatIsoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2045-11-17 13:25:47` (ELB v2 and some doc pages; UTC with no zone marker). */
export function formatSpaceSeconds(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "");
}

/** `2021-05-27 16:46:25.0` in UTC+8 with no zone marker (the CCM list's untrusted expire_time). */
export function formatChinaStandardTime(epochMs: number): string {
  return `${formatSpaceSeconds(epochMs + 8 * 60 * 60 * 1000)}.0`;
}

/** `2045-11-17T21:25:47+08:00`: the same instant written with an explicit offset of +08:00. */
export function formatOffsetSeconds(epochMs: number): string {
  return `${formatIsoSeconds(epochMs + 8 * 60 * 60 * 1000).replace(/Z$/, "")}+08:00`;
}

/** `2026-11-25T03:00:01.168000Z` (IAM tokens: microseconds). */
export function formatIamTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Wraps base64 at 64 columns between BEGIN/END lines, ending with a newline. */
export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Removes every line break, the way the ELB API reference prints PEM bodies
 * (`-----BEGIN CERTIFICATE-----MIIC…-----END CERTIFICATE-----`), blocks run together.
 */
export function toOneLinePem(pem: string): string {
  return pem.replace(/\r?\n|\r/g, "");
}
