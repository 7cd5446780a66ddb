// Reads the time strings Huawei Cloud APIs return. ELB v3 writes `2045-11-17T13:25:47Z`; v2 and
// several doc pages write `2045-11-17 13:25:47`, also UTC but with no zone marker. JavaScript's
// Date would read the second form in the container's local zone, so both are parsed by hand
// here as UTC unless an explicit offset is present. Pure: no clock, no locale.

const API_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Unix seconds (fraction dropped), or null when the text is not a valid time. */
export function parseApiTime(text: string): number | null {
  const match = API_TIME.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, , zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Dates roll 31 February over into March: reject what does not round-trip.
  if (date.getUTCDate() !== day) return null;
  return date.getTime() / 1000 - offsetSeconds(zone);
}

function offsetSeconds(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60);
}

/**
 * A time that may come as text (either form above, or with an offset) or as an epoch number:
 * Cloud Certificate Manager documents its not_before / not_after only as strings, and its
 * private-CA sibling writes epoch milliseconds. Numbers above 10^11 are milliseconds (10^11
 * seconds is the year 5138), smaller ones seconds. Unix seconds (fraction dropped), or null.
 */
export function parseApiTimeOrEpoch(value: string | number): number | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (/^\d{1,16}(?:\.\d+)?$/.test(text)) {
    const number = Number(text);
    if (!Number.isFinite(number) || number <= 0) return null;
    return Math.floor(number >= 1e11 ? number / 1000 : number);
  }
  return parseApiTime(text);
}
