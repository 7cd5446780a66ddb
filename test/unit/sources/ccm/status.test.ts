import { describe, expect, it } from "vitest";
import { parseApiTimeOrEpoch } from "../../../../src/cloud/api-time.js";
import { classifyCcmStatus } from "../../../../src/sources/ccm/status.js";

describe("classifyCcmStatus", () => {
  it.each([
    ["ISSUED", "issued"],
    ["issued", "issued"],
    ["EXPIRED", "expired"],
    ["REVOKED", "revoked"],
    ["REVOKING", "revoked"],
    ["PAID", "pending"],
    ["CHECKING", "pending"],
    ["CHECKING_ORG", "pending"],
    ["ISSUING", "pending"],
    ["APPLYING", "pending"],
    ["UPLOAD", "pending"],
    ["CANCELCHECKING", "pending"],
    ["SUPPLEMENTCHECKING", "pending"],
    ["CANCELSUPPLEMENTING", "pending"],
    ["CANCLEREVOKING", "pending"],
    ["UNPASSED", "other"],
    ["", "other"],
    ["SOMETHING_NEW", "other"],
  ])("%j → %s", (raw, expected) => {
    expect(classifyCcmStatus(raw)).toBe(expected);
  });
});

describe("parseApiTimeOrEpoch", () => {
  const at = Date.UTC(2031, 4, 27, 16, 46, 25) / 1000;
  it.each<[string | number, number | null]>([
    ["2031-05-27T16:46:25Z", at],
    ["2031-05-27 16:46:25", at],
    ["2031-05-27 16:46:25.0", at],
    ["2031-05-28T00:46:25+08:00", at],
    ["2031-05-28 00:46:25.000+0800", at],
    [at * 1000 + 999, at],
    [String(at * 1000 + 1), at],
    [at, at],
    [String(at), at],
    ["", null],
    ["0", null],
    ["2031-02-30 00:00:00", null],
    ["next tuesday", null],
  ])("%j → %j", (value, expected) => {
    expect(parseApiTimeOrEpoch(value)).toBe(expected);
  });
});
