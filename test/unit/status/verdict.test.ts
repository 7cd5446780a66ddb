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

type Finding = "ok" | "warning" | "critical" | "expired" | "source-down" | "link-down";

const DAYS_LEFT = { ok: 100, warning: 20, critical: 3, expired: -1 } as const;

function verdictFor(findings: readonly Finding[]) {
  const certificates = findings
    .filter((finding) => finding in DAYS_LEFT)
    .map((finding, index) =>
      elbCertificate(`c${index}`, finding, [
        x509(-300, DAYS_LEFT[finding as keyof typeof DAYS_LEFT]),
      ]),
    );
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
    [["ok", "source-down"], 3, "1 source or CA link could not be read"],
    [["ok", "link-down"], 3, "1 source or CA link could not be read"],
    [["warning", "source-down", "link-down"], 3, "2 source or CA links could not be read"],
    [["critical", "source-down"], 2, "1 certificate expired or within the critical limit"],
    [["expired", "link-down"], 2, "1 certificate expired or within the critical limit"],
  ])("%j exits %i", (findings, exitCode, summary) => {
    expect(verdictFor(findings)).toMatchObject({ exitCode, summary });
  });
});
