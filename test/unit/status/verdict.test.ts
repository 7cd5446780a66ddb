// The check command's exit code for every combination of findings, and its precedence.

import { describe, expect, it } from "vitest";
import { buildStatusModel } from "../../../src/status/model.js";
import { fixedThresholds } from "../../../src/status/thresholds.js";
import { checkVerdict } from "../../../src/status/verdict.js";
import {
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  NOW,
  snapshot,
  x509,
} from "./fixtures.js";

type Finding = "ok" | "warning" | "critical" | "expired" | "source-down" | "link-down" | "bad-pem";

const DAYS_LEFT = { ok: 100, warning: 20, critical: 3, expired: -1 } as const;

function verdictFor(findings: readonly Finding[]) {
  const certificates = findings
    .filter((finding) => finding in DAYS_LEFT)
    .map((finding, index) =>
      elbCertificate(`c${index}`, finding, [
        x509(-300, DAYS_LEFT[finding as keyof typeof DAYS_LEFT]),
      ]),
    );
  if (findings.includes("bad-pem")) {
    // Unreadable, and known only by an expire_time far away: nothing but the problem counts.
    certificates.push({
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
        certificates,
        findings.includes("source-down")
          ? { up: false, lastError: { reason: "http_5xx", message: "elb list: HTTP 503" } }
          : {},
      ),
      geminiDbSource([instance("i1", "db", [link([], !findings.includes("link-down"))])]),
    ),
    version: "test",
    now: NOW,
    nextPollSeconds: null,
    pollInProgress: false,
    thresholds: () => fixedThresholds(30, 7),
  });
  return checkVerdict(model);
}

describe("checkVerdict", () => {
  it.each<[readonly Finding[], number, string]>([
    [[], 0, "0 certificates, all fine"],
    [["ok", "ok"], 0, "2 certificates, all fine"],
    [["ok", "warning"], 1, "1 certificate within the warning limit"],
    [["warning", "critical"], 2, "1 certificate expired or within the critical limit"],
    [["expired"], 2, "1 certificate expired or within the critical limit"],
    [["expired", "critical", "warning"], 2, "2 certificates expired or within the critical limit"],
    [["ok", "source-down"], 3, "1 source could not be read"],
    [["ok", "link-down"], 3, "1 resource could not be read"],
    [["ok", "bad-pem"], 3, "1 resource could not be read"],
    [["warning", "bad-pem"], 3, "1 resource could not be read"],
    [["warning", "source-down", "link-down"], 3, "1 source and 1 resource could not be read"],
    [["source-down", "link-down", "bad-pem"], 3, "1 source and 2 resources could not be read"],
    [["critical", "bad-pem"], 2, "1 certificate expired or within the critical limit"],
    [["critical", "source-down"], 2, "1 certificate expired or within the critical limit"],
    [["expired", "link-down"], 2, "1 certificate expired or within the critical limit"],
  ])("%j exits %i", (findings, exitCode, summary) => {
    expect(verdictFor(findings)).toMatchObject({ exitCode, summary });
  });
});
