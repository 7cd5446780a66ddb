// The severity rule of the status page, case by case against the alert rules' definition:
// warning below min(30 % of lifetime, 28 d), critical below min(10 %, 7 d), expired at notAfter.

import { describe, expect, it } from "vitest";
import {
  ABSOLUTE_THRESHOLDS,
  classifyExpiry,
  fixedThresholds,
  lifetimeThresholds,
  type Severity,
} from "../../../src/status/thresholds.js";

const DAY = 86_400;
const HOUR = 3_600;
const NOW = 1_900_000_000;

describe("lifetimeThresholds", () => {
  it.each([
    ["90-day certificate", 90 * DAY, 27 * DAY, 7 * DAY],
    ["6-day certificate", 6 * DAY, 43.2 * HOUR, 14.4 * HOUR],
    ["1-year certificate: both capped", 365 * DAY, 28 * DAY, 7 * DAY],
    ["50-day certificate: warning relative, critical capped", 50 * DAY, 15 * DAY, 5 * DAY],
    ["80-day certificate: critical just over the cap", 80 * DAY, 24 * DAY, 7 * DAY],
    ["1-hour certificate", HOUR, 0.3 * HOUR, 0.1 * HOUR],
  ])("%s", (_name, lifetime, warning, critical) => {
    const thresholds = lifetimeThresholds({ notBefore: NOW - DAY, notAfter: NOW - DAY + lifetime });
    expect(thresholds.warningSeconds).toBeCloseTo(warning, 6);
    expect(thresholds.criticalSeconds).toBeCloseTo(critical, 6);
  });

  it.each([
    ["no notBefore (ELB expire_time alone)", null, NOW + DAY],
    ["notBefore 0 (the rules' > 0 guard)", 0, NOW + DAY],
    ["notBefore equal to notAfter", NOW, NOW],
    ["notBefore after notAfter", NOW + DAY, NOW],
    ["notAfter 0", NOW - DAY, 0],
  ])("falls back to 28 / 7 days with %s", (_name, notBefore, notAfter) => {
    expect(lifetimeThresholds({ notBefore, notAfter })).toEqual(ABSOLUTE_THRESHOLDS);
    expect(ABSOLUTE_THRESHOLDS).toEqual({ warningSeconds: 28 * DAY, criticalSeconds: 7 * DAY });
  });
});

describe("classifyExpiry", () => {
  const ninetyDay = lifetimeThresholds({ notBefore: 0.5, notAfter: 0.5 + 90 * DAY });
  it.each<[string, number, Severity]>([
    ["long before the warning limit", 60 * DAY, "ok"],
    ["one second before the warning limit", 27 * DAY, "ok"],
    ["just inside the warning limit", 27 * DAY - 1, "warning"],
    ["at the critical limit", 7 * DAY, "warning"],
    ["just inside the critical limit", 7 * DAY - 1, "critical"],
    ["one second left", 1, "critical"],
    ["at notAfter", 0, "expired"],
    ["long expired", -400 * DAY, "expired"],
  ])("90-day certificate, %s", (_name, secondsLeft, severity) => {
    expect(classifyExpiry(secondsLeft, ninetyDay)).toBe(severity);
  });

  it.each<[string, number, Severity]>([
    ["44 hours left", 44 * HOUR, "ok"],
    ["43 hours left", 43 * HOUR, "warning"],
    ["15 hours left", 15 * HOUR, "warning"],
    ["14 hours left", 14 * HOUR, "critical"],
  ])("6-day certificate, %s", (_name, secondsLeft, severity) => {
    expect(
      classifyExpiry(secondsLeft, lifetimeThresholds({ notBefore: NOW, notAfter: NOW + 6 * DAY })),
    ).toBe(severity);
  });

  it.each<[number, number, number, Severity]>([
    [30, 7, 31 * DAY, "ok"],
    [30, 7, 30 * DAY, "ok"],
    [30, 7, 30 * DAY - 1, "warning"],
    [30, 7, 7 * DAY - 1, "critical"],
    [30, 7, -1, "expired"],
    [0, 0, 1, "ok"],
    [10, 0, 1, "warning"],
  ])("fixed %s / %s days, %s seconds left: %s", (warn, critical, secondsLeft, severity) => {
    expect(classifyExpiry(secondsLeft, fixedThresholds(warn, critical))).toBe(severity);
  });
});
