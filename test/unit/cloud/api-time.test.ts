import { describe, expect, it } from "vitest";
import { parseApiTime } from "../../../src/cloud/api-time.js";

describe("parseApiTime", () => {
  it.each<[string, number | null]>([
    ["2045-11-17T13:25:47Z", Date.UTC(2045, 10, 17, 13, 25, 47) / 1000],
    ["2045-11-17 13:25:47", Date.UTC(2045, 10, 17, 13, 25, 47) / 1000],
    ["2045-11-17T13:25:47", Date.UTC(2045, 10, 17, 13, 25, 47) / 1000],
    ["2045-11-17T13:25:47.999Z", Date.UTC(2045, 10, 17, 13, 25, 47) / 1000],
    ["2021-05-27 16:46:25.0", Date.UTC(2021, 4, 27, 16, 46, 25) / 1000],
    ["2026-11-25T03:00:01.168000Z", Date.UTC(2026, 10, 25, 3, 0, 1) / 1000],
    ["2045-11-17T13:25:47+08:00", Date.UTC(2045, 10, 17, 5, 25, 47) / 1000],
    ["2045-11-17T13:25:47-0130", Date.UTC(2045, 10, 17, 14, 55, 47) / 1000],
    ["  2045-11-17T13:25:47Z\n", Date.UTC(2045, 10, 17, 13, 25, 47) / 1000],
    ["1970-01-01T00:00:00Z", 0],
    ["2024-02-29 00:00:00", Date.UTC(2024, 1, 29) / 1000],
    ["2023-02-29 00:00:00", null],
    ["2045-13-01T00:00:00Z", null],
    ["2045-11-17T24:00:00Z", null],
    ["2045-11-17", null],
    ["17/11/2045 13:25:47", null],
    ["", null],
    ["null", null],
  ])("%j", (text, expected) => {
    expect(parseApiTime(text)).toBe(expected);
  });

  it("keeps years below 100 (Date.UTC would move them to the 1900s)", () => {
    expect(parseApiTime("0099-01-01T00:00:00Z")).toBe(-59042995200);
  });

  it("does not depend on the process time zone", () => {
    const previous = process.env["TZ"];
    try {
      process.env["TZ"] = "Pacific/Kiritimati";
      expect(parseApiTime("2045-11-17 13:25:47")).toBe(Date.UTC(2045, 10, 17, 13, 25, 47) / 1000);
    } finally {
      if (previous === undefined) delete process.env["TZ"];
      else process.env["TZ"] = previous;
    }
  });
});
