// The one severity model, case by case against the alert rules' definition: warning below
// min(30 % of lifetime, 28 d), critical below min(10 %, 7 d) or revoked, expired at notAfter or
// when CCM says so; a stored certificate only ever a notice; and who counts as in use.
// test/deploy/severity-agreement.test.ts runs the rules themselves against this module.

import { describe, expect, it } from "vitest";
import type { CcmStatus } from "../../../src/sources/ccm/snapshot.js";
import {
  ABSOLUTE_THRESHOLDS,
  ALERT_SEVERITY,
  decideSeverity,
  decideUsage,
  effectiveThresholds,
  fixedThresholds,
  isUrgent,
  lifetimeThresholds,
  SEVERITIES,
  statusAlarm,
  type ExpiryThresholds,
  type Severity,
  type Usage,
  type UsageFacts,
} from "../../../src/status/severity.js";

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

/** A certificate in use, as the expiry-only rule of earlier versions judged it. */
function judgeInUse(secondsLeft: number, thresholds: ExpiryThresholds): Severity {
  return decideSeverity({ secondsLeft, thresholds, usage: "in_use", statusAlarm: null });
}

describe("decideSeverity of a certificate in use", () => {
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
    expect(judgeInUse(secondsLeft, ninetyDay)).toBe(severity);
  });

  it.each<[string, number, Severity]>([
    ["44 hours left", 44 * HOUR, "ok"],
    ["43 hours left", 43 * HOUR, "warning"],
    ["15 hours left", 15 * HOUR, "warning"],
    ["14 hours left", 14 * HOUR, "critical"],
  ])("6-day certificate, %s", (_name, secondsLeft, severity) => {
    expect(
      judgeInUse(secondsLeft, lifetimeThresholds({ notBefore: NOW, notAfter: NOW + 6 * DAY })),
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
    expect(judgeInUse(secondsLeft, fixedThresholds(warn, critical))).toBe(severity);
  });
});

describe("effectiveThresholds", () => {
  it("takes the resource's override over the lifetime, as the rules do", () => {
    const validity = { notBefore: NOW - 80 * DAY, notAfter: NOW + 10 * DAY };
    const override = { warningSeconds: 3 * DAY, criticalSeconds: DAY };
    expect(effectiveThresholds(validity, override)).toBe(override);
    expect(effectiveThresholds(validity, undefined)).toEqual(lifetimeThresholds(validity));
  });
});

describe("decideSeverity", () => {
  const ninetyDay = lifetimeThresholds({ notBefore: NOW, notAfter: NOW + 90 * DAY });
  const judge = (
    secondsLeft: number,
    usage: Usage,
    status: CcmStatus | null = null,
    thresholds = ninetyDay,
  ): Severity =>
    decideSeverity({ secondsLeft, thresholds, usage, statusAlarm: statusAlarm(status) });

  it.each<[string, number, Usage, CcmStatus | null, Severity]>([
    ["in use, expired", -DAY, "in_use", null, "expired"],
    ["unknown use is judged as in use: expired", -DAY, "unknown", null, "expired"],
    ["unknown use, 5 days left", 5 * DAY, "unknown", null, "critical"],
    ["unknown use, 20 days left", 20 * DAY, "unknown", null, "warning"],
    ["in use, CCM says expired while time is left", 60 * DAY, "in_use", "expired", "expired"],
    ["in use, revoked with 60 days left", 60 * DAY, "in_use", "revoked", "critical"],
    ["in use, revoked and expired by time", -DAY, "in_use", "revoked", "expired"],
    ["in use, issued, 60 days left", 60 * DAY, "in_use", "issued", "ok"],
    ["in use, pending, 60 days left", 60 * DAY, "in_use", "pending", "ok"],
    ["stored, expired", -DAY, "stored", null, "notice"],
    ["stored, 5 days left", 5 * DAY, "stored", null, "notice"],
    ["stored, just inside the warning limit", 27 * DAY - 1, "stored", null, "notice"],
    ["stored, at the warning limit", 27 * DAY, "stored", null, "ok"],
    ["stored, 60 days left", 60 * DAY, "stored", null, "ok"],
    ["stored, revoked with 60 days left", 60 * DAY, "stored", "revoked", "notice"],
    ["stored, CCM says expired", 60 * DAY, "stored", "expired", "notice"],
    ["stored, other status", 60 * DAY, "stored", "other", "ok"],
  ])("%s: %s", (_name, secondsLeft, usage, status, severity) => {
    expect(judge(secondsLeft, usage, status)).toBe(severity);
  });

  it("never pages for a stored certificate, whatever its time or status", () => {
    for (const secondsLeft of [-400 * DAY, 0, 1, 6 * DAY, 26 * DAY, 400 * DAY]) {
      for (const status of [null, "issued", "expired", "revoked", "pending", "other"] as const) {
        expect(["notice", "ok"]).toContain(judge(secondsLeft, "stored", status));
      }
    }
  });

  it("maps every severity to the alert severity that speaks of it", () => {
    expect(SEVERITIES.map((severity) => [severity, ALERT_SEVERITY[severity]])).toEqual([
      ["expired", "critical"],
      ["critical", "critical"],
      ["warning", "warning"],
      ["notice", "info"],
      ["ok", null],
    ]);
    expect(SEVERITIES.filter(isUrgent)).toEqual(["expired", "critical"]);
  });
});

/** An ELB certificate's facts: its listeners are its uses, and nothing is used unseen. */
function elbFacts(listeners: number | null, markedStored: boolean): UsageFacts {
  return { visibleUses: listeners, mayBeUsedUnseen: false, markedStored };
}

/** A CCM certificate's facts: the resources using it; it may be installed where none can see. */
function ccmFacts(users: number, markedStored: boolean): UsageFacts {
  return { visibleUses: users, mayBeUsedUnseen: true, markedStored };
}

describe("decideUsage", () => {
  it.each<[string, UsageFacts, Usage]>([
    ["ELB on a listener", elbFacts(2, false), "in_use"],
    ["ELB on a listener, marked: the visible use wins", elbFacts(1, true), "in_use"],
    ["ELB provably on no listener", elbFacts(0, false), "stored"],
    ["ELB, listeners unknown", elbFacts(null, false), "unknown"],
    ["ELB, listeners unknown, marked", elbFacts(null, true), "stored"],
    ["GeminiDB CA", { visibleUses: 1, mayBeUsedUnseen: false, markedStored: false }, "in_use"],
    ["CCM used by a resource", ccmFacts(1, false), "in_use"],
    ["CCM used by a resource, marked: the visible use wins", ccmFacts(2, true), "in_use"],
    ["CCM used by nothing, unmarked: may be installed elsewhere", ccmFacts(0, false), "in_use"],
    ["CCM used by nothing, marked", ccmFacts(0, true), "stored"],
  ])("%s: %s", (_name, facts, usage) => {
    expect(decideUsage(facts)).toBe(usage);
  });
});
