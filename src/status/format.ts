// Text forms of times and durations shared by the status page and the `check` report, so both
// say the same thing the same way. Pure: "now" is an argument; everything is UTC.

import { DAY_SECONDS } from "./severity.js";

/** `2025-06-01 12:00 UTC`; `—` for null. */
export function formatTimestamp(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const iso = new Date(Math.floor(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** ISO 8601 to the second (`2025-06-01T12:00:00Z`), or null. */
export function isoTimestamp(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Days with one decimal, rounded towards zero so 6.99 days never reads as 7.0. */
export function formatDays(secondsLeft: number): string {
  const tenths = Math.trunc((secondsLeft / DAY_SECONDS) * 10);
  return (tenths / 10).toFixed(1).replace(/^-(0\.0)$/, "$1");
}

/** Days as a number with three decimals, for JSON limits. */
export function roundDays(seconds: number): number {
  return Math.round((seconds / DAY_SECONDS) * 1000) / 1000;
}

/** Time left in days with three decimals, towards zero like formatDays (4.9999 is 4.999). */
export function truncateDays(seconds: number): number {
  return Math.trunc((seconds / DAY_SECONDS) * 1000) / 1000 || 0;
}

/** `in 4 min`, `3 h ago`, `just now`: how far `seconds` is from `now`. */
export function formatRelative(seconds: number | null, now: number): string {
  if (seconds === null || !Number.isFinite(seconds)) return "never";
  const delta = seconds - now;
  const size = Math.abs(delta);
  if (size < 1) return delta > 0 ? "now" : "just now";
  const amount =
    size < 60
      ? `${Math.round(size)} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : size < DAY_SECONDS
          ? `${Math.round(size / 3600)} h`
          : `${Math.round(size / DAY_SECONDS)} d`;
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}
