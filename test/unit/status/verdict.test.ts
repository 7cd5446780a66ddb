// The check command's exit code for every combination of findings, and its precedence: 2 only
// for what would page, a stored certificate's notice never, unless judged as in use.

import { describe, expect, it } from "vitest";
import { buildStatusModel } from "../../../src/status/model.js";
import { fixedThresholds } from "../../../src/status/severity.js";
import { checkVerdict } from "../../../src/status/verdict.js";
import {
  ccmCertificate,
  ccmSource,
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  NOW,
  snapshot,
  x509,
} from "../../fixtures/snapshots.js";

type Finding =
  | "ok"
  | "warning"
  | "critical"
  | "expired"
  | "stored-expired"
  | "stored-warning"
  | "revoked"
  | "revoked-stored"
  | "source-down"
  | "link-down"
  | "bad-pem";

/** ELB certificates whose listeners are unknown (judged as in use), by days left. */
const DAYS_LEFT = { ok: 100, warning: 20, critical: 3, expired: -1 } as const;
/** ELB certificates provably on no listener. */
const STORED_DAYS_LEFT = { "stored-expired": -1, "stored-warning": 20 } as const;

function verdictFor(findings: readonly Finding[], includeStored = false) {
  const pick = (days: Readonly<Record<string, number>>, prefix: string) =>
    findings
      .filter((finding) => finding in days)
      .map((finding, index) =>
        elbCertificate(`${prefix}${index}`, finding, [x509(-300, days[finding] ?? 0)]),
      );
  const ccm = [
    ...(findings.includes("revoked")
      ? [ccmCertificate("scs-1", "revoked", -10, 300, "revoked")]
      : []),
    ...(findings.includes("revoked-stored")
      ? [ccmCertificate("scs-2", "revoked-stored", -10, 300, "revoked")]
      : []),
  ];
  const inUse = pick(DAYS_LEFT, "c");
  if (findings.includes("bad-pem")) {
    // Unreadable, and known only by an expire_time far away: nothing but the problem counts.
    inUse.push({
      ...elbCertificate("broken", "broken", [], NOW + 300 * 86_400),
      problems: [
        { reason: "bad_pem", message: "no certificate found; no readable certificates" },
        { reason: "bad_time", message: "the API gave no expire_time" },
      ],
    });
  }
  const model = buildStatusModel({
    snapshot: snapshot(
      elbSource(
        inUse,
        findings.includes("source-down")
          ? { up: false, lastError: { reason: "http_5xx", message: "elb list: HTTP 503" } }
          : {},
      ),
      elbSource(pick(STORED_DAYS_LEFT, "s"), { projectId: "p2", listenerBindings: new Map() }),
      geminiDbSource([instance("i1", "db", [link([], !findings.includes("link-down"))])]),
      ccmSource(ccm),
    ),
    version: "test",
    now: NOW,
    nextPollSeconds: null,
    pollInProgress: false,
    thresholds: () => fixedThresholds(30, 7),
    storedCertificates: new Set(["scs-2"]),
    includeStored,
  });
  return checkVerdict(model);
}

describe("checkVerdict", () => {
  it.each<[readonly Finding[], number, string]>([
    [[], 0, "0 certificates, all fine"],
    [["ok", "ok"], 0, "2 certificates, all fine"],
    [["ok", "warning"], 1, "1 certificate within the warning limit"],
    [["warning", "critical"], 2, "1 certificate expired, revoked or within the critical limit"],
    [["expired"], 2, "1 certificate expired, revoked or within the critical limit"],
    [
      ["expired", "critical", "warning"],
      2,
      "2 certificates expired, revoked or within the critical limit",
    ],
    [["revoked"], 2, "1 certificate expired, revoked or within the critical limit"],
    [
      ["stored-expired"],
      0,
      "1 certificate, none in use needing attention; 1 stored only with a notice",
    ],
    [
      ["ok", "stored-expired", "stored-warning", "revoked-stored"],
      0,
      "4 certificates, none in use needing attention; 3 stored only with a notice",
    ],
    [["warning", "stored-expired"], 1, "1 certificate within the warning limit"],
    [["stored-expired", "source-down"], 3, "1 source could not be read"],
    [["ok", "source-down"], 3, "1 source could not be read"],
    [["ok", "link-down"], 3, "1 resource could not be read"],
    [["ok", "bad-pem"], 3, "1 resource could not be read"],
    [["warning", "bad-pem"], 3, "1 resource could not be read"],
    [["warning", "source-down", "link-down"], 3, "1 source and 1 resource could not be read"],
    [["source-down", "link-down", "bad-pem"], 3, "1 source and 2 resources could not be read"],
    [["critical", "bad-pem"], 2, "1 certificate expired, revoked or within the critical limit"],
    [["critical", "source-down"], 2, "1 certificate expired, revoked or within the critical limit"],
    [["expired", "link-down"], 2, "1 certificate expired, revoked or within the critical limit"],
  ])("%j exits %i", (findings, exitCode, summary) => {
    expect(verdictFor(findings)).toMatchObject({ exitCode, summary });
  });

  it.each<[readonly Finding[], number]>([
    [["stored-expired"], 2],
    [["revoked-stored"], 2],
    [["stored-warning"], 1],
    [["ok"], 0],
  ])("with --include-stored, %j exits %i", (findings, exitCode) => {
    expect(verdictFor(findings, true).exitCode).toBe(exitCode);
  });
});
