// Property tests of the two time parsers: X.509 validity (UTCTime, GeneralizedTime) and the
// Huawei API's expire_time. Random input never throws and never yields NaN; every valid
// encoding of every instant reads back to that instant; and field values out of range are
// rejected exactly when an independent calendar oracle (Date with setUTCFullYear) rejects them.
// The API parser must not depend on the process's time zone.

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { parseAsn1Time } from "../../src/certs/time.js";
import { parseApiTime } from "../../src/cloud/api-time.js";

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** Unix seconds of a calendar date, or undefined when a field is out of range (the oracle). */
function calendarSeconds(fields: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}): number | undefined {
  const { year, month, day, hour, minute, second } = fields;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day) return undefined;
  return date.getTime() / 1000;
}

const instant = (min: string, max: string): fc.Arbitrary<number> =>
  fc
    .integer({ min: Date.parse(min) / 1000, max: Date.parse(max) / 1000 })
    .map((seconds) => seconds);

/** Calendar fields of an instant shifted by `offsetSeconds` (the local time at that offset). */
function fieldsOf(seconds: number, offsetSeconds = 0) {
  const date = new Date((seconds + offsetSeconds) * 1000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

const offset = fc.record({
  sign: fc.constantFrom(1, -1),
  hours: fc.integer({ min: 0, max: 12 }),
  minutes: fc.integer({ min: 0, max: 59 }),
});

/** Any digits in each field, mostly in range, sometimes just outside it. */
const anyFields = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 })),
  day: fc.oneof(fc.integer({ min: 28, max: 31 }), fc.integer({ min: 0, max: 99 })),
  hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 99 })),
  minute: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 99 })),
  second: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 99 })),
});

describe("X.509 validity times", () => {
  it("never throw and never give a non-integer for random content and tags", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 40 }),
        (tag, bytes) => {
          const seconds = parseAsn1Time(tag, bytes);
          if (seconds !== undefined) expect(Number.isSafeInteger(seconds)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throw for near-miss text", () => {
    const text = fc.stringMatching(/^[0-9]{8,16}(\.[0-9]{0,4})?(Z|[+-][0-9]{4}|[+-][0-9]{2}|z|)$/);
    fc.assert(
      fc.property(fc.constantFrom(UTC_TIME, GENERALIZED_TIME), text, (tag, value) => {
        const seconds = parseAsn1Time(tag, ascii(value));
        if (seconds !== undefined) expect(Number.isSafeInteger(seconds)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("read every UTCTime instant (1950-2049) back, with and without seconds", () => {
    fc.assert(
      fc.property(instant("1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z"), (seconds) => {
        const f = fieldsOf(seconds);
        const minutes = `${pad(f.year % 100, 2)}${pad(f.month, 2)}${pad(f.day, 2)}${pad(f.hour, 2)}${pad(f.minute, 2)}`;
        expect(parseAsn1Time(UTC_TIME, ascii(`${minutes}${pad(f.second, 2)}Z`))).toBe(seconds);
        expect(parseAsn1Time(UTC_TIME, ascii(`${minutes}Z`))).toBe(seconds - f.second);
      }),
      { numRuns: 1000 },
    );
  });

  it("read every GeneralizedTime instant (0000-9999) back, with fractions and offsets", () => {
    fc.assert(
      fc.property(
        instant("0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
        fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
        fc.option(offset, { nil: undefined }),
        (seconds, fraction, zone) => {
          const shift = zone ? zone.sign * (zone.hours * 3600 + zone.minutes * 60) : 0;
          const f = fieldsOf(seconds, shift);
          // Local times outside 0000-9999 cannot be written in four digits.
          fc.pre(f.year >= 0 && f.year <= 9999);
          const suffix = zone
            ? `${zone.sign > 0 ? "+" : "-"}${pad(zone.hours, 2)}${pad(zone.minutes, 2)}`
            : "Z";
          const text =
            `${pad(f.year, 4)}${pad(f.month, 2)}${pad(f.day, 2)}` +
            `${pad(f.hour, 2)}${pad(f.minute, 2)}${pad(f.second, 2)}` +
            `${fraction === undefined ? "" : `.${fraction}`}${suffix}`;
          expect(parseAsn1Time(GENERALIZED_TIME, ascii(text))).toBe(seconds);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reject exactly the field values the calendar rejects", () => {
    fc.assert(
      fc.property(anyFields, (f) => {
        const text =
          `${pad(f.year, 4)}${pad(f.month, 2)}${pad(f.day, 2)}` +
          `${pad(f.hour, 2)}${pad(f.minute, 2)}${pad(f.second, 2)}Z`;
        expect(parseAsn1Time(GENERALIZED_TIME, ascii(text))).toBe(calendarSeconds(f));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("API expire_time", () => {
  const originalTz = process.env["TZ"];
  afterEach(() => {
    if (originalTz === undefined) delete process.env["TZ"];
    else process.env["TZ"] = originalTz;
  });

  it("never throws and never gives NaN for random text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const seconds = parseApiTime(text);
        if (seconds !== null) expect(Number.isFinite(seconds)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads every instant back in both formats, with fractions, offsets and spaces", () => {
    fc.assert(
      fc.property(
        instant("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
        fc.constantFrom("T", " "),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
        fc.option(fc.record({ zone: offset, colon: fc.boolean() }), { nil: undefined }),
        fc.constantFrom("", " ", "\t", "\n"),
        (seconds, separator, fraction, zoned, space) => {
          const shift = zoned
            ? zoned.zone.sign * (zoned.zone.hours * 3600 + zoned.zone.minutes * 60)
            : 0;
          const f = fieldsOf(seconds, shift);
          fc.pre(f.year >= 0 && f.year <= 9999);
          const zone = zoned
            ? `${zoned.zone.sign > 0 ? "+" : "-"}${pad(zoned.zone.hours, 2)}${zoned.colon ? ":" : ""}${pad(zoned.zone.minutes, 2)}`
            : separator === "T"
              ? "Z"
              : "";
          const text =
            `${space}${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${separator}` +
            `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}` +
            `${fraction === undefined ? "" : `.${fraction}`}${zone}${space}`;
          expect(parseApiTime(text)).toBe(seconds);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("rejects exactly the field values the calendar rejects", () => {
    fc.assert(
      fc.property(anyFields, (f) => {
        const text = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
        expect(parseApiTime(text)).toBe(calendarSeconds(f) ?? null);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same answer in every time zone", () => {
    fc.assert(
      fc.property(
        instant("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"),
        fc.constantFrom(
          "Asia/Shanghai",
          "America/Los_Angeles",
          "Pacific/Kiritimati",
          "UTC",
          "Europe/Dublin",
        ),
        (seconds, zone) => {
          process.env["TZ"] = zone;
          const f = fieldsOf(seconds);
          const text = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
          expect(parseApiTime(text)).toBe(seconds);
        },
      ),
      { numRuns: 300 },
    );
  });
});
