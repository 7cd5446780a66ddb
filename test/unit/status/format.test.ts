// Times and durations as the page and the report print them.

import { describe, expect, it } from "vitest";
import {
  formatDays,
  formatRelative,
  formatTimestamp,
  isoTimestamp,
  truncateDays,
} from "../../../src/status/format.js";

const DAY = 86_400;

describe("format", () => {
  it.each([
    [80 * DAY, "80.0"],
    [7 * DAY - 1, "6.9"], // never "7.0" while below a 7-day limit
    [0.04 * DAY, "0.0"],
    [-0.04 * DAY, "0.0"],
    [-3 * DAY, "-3.0"],
    [-3.05 * DAY, "-3.0"],
  ])("formatDays(%s) = %s", (seconds, text) => {
    expect(formatDays(seconds)).toBe(text);
  });

  it.each([
    [4.99995 * DAY, 4.999],
    [-2.5 * DAY, -2.5],
    [-0.0001, 0],
  ])("truncateDays(%s) = %s", (seconds, days) => {
    expect(truncateDays(seconds)).toBe(days);
  });

  it.each([
    [1000, 1000, "just now"],
    [1000.5, 1000, "now"],
    [1030, 1000, "in 30 s"],
    [1000, 1240, "4 min ago"],
    [1000 + 3 * 3600, 1000, "in 3 h"],
    [1000, 1000 + 5 * DAY, "5 d ago"],
    [null, 1000, "never"],
  ])("formatRelative(%s, %s) = %s", (seconds, now, text) => {
    expect(formatRelative(seconds, now)).toBe(text);
  });

  it("prints UTC whatever the time zone", () => {
    expect(formatTimestamp(1_900_000_000.9)).toBe("2030-03-17 17:46 UTC");
    expect(isoTimestamp(1_900_000_000.9)).toBe("2030-03-17T17:46:40Z");
    expect(formatTimestamp(null)).toBe("—");
    expect(isoTimestamp(null)).toBeNull();
  });
});
