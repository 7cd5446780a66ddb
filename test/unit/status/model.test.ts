// buildStatusModel: which rows exist, their order and severity, what counts as unreadable, and
// that error texts pass through the redactor.

import { describe, expect, it } from "vitest";
import { buildStatusModel, type StatusInput } from "../../../src/status/model.js";
import { fixedThresholds, lifetimeThresholds } from "../../../src/status/thresholds.js";
import {
  DAY,
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  NOW,
  snapshot,
  x509,
} from "./fixtures.js";

function build(input: Partial<StatusInput> & Pick<StatusInput, "snapshot">) {
  return buildStatusModel({
    version: "1.2.3",
    now: NOW,
    nextPollSeconds: NOW + 240,
    pollInProgress: false,
    thresholds: lifetimeThresholds,
    ...input,
  });
}

describe("buildStatusModel", () => {
  it("lists every certificate of every chain, least time left first, expired on top", () => {
    const leaf = x509(-80, 10);
    const intermediate = x509(-400, 300, { chainPosition: "intermediate" });
    const expired = x509(-365, -2, { chainPosition: "root" });
    const ca = x509(-100, 5, { chainPosition: "root" });
    const model = build({
      snapshot: snapshot(
        elbSource([
          elbCertificate("c1", "web", [leaf, intermediate]),
          elbCertificate("c2", "old", [expired]),
        ]),
        geminiDbSource([instance("i1", "orders", [link([ca])])]),
      ),
    });
    expect(model.certificates.map((row) => [row.resourceName, row.chainPosition])).toEqual([
      ["old", "root"],
      ["orders", "root"],
      ["web", "leaf"],
      ["web", "intermediate"],
    ]);
    expect(model.certificates.map((row) => row.severity)).toEqual([
      "expired",
      "critical", // 100-day CA with 5 days left: below min(10 d, 7 d)
      "warning", // 90-day leaf with 10 days left: below min(27 d, 28 d)
      "ok",
    ]);
    expect(model.counts).toEqual({ expired: 1, critical: 1, warning: 1, ok: 1 });
    expect(model.certificates[1]).toMatchObject({
      source: "geminidb",
      resourceId: "i1",
      resourceType: "cassandra",
      secondsLeft: 5 * DAY,
    });
    expect(model.problems).toEqual([]);
  });

  it("adds an expire_time row for a broken PEM, with the absolute limits", () => {
    const model = build({
      snapshot: snapshot(elbSource([elbCertificate("c1", "broken", [], NOW + 20 * DAY)])),
    });
    expect(model.certificates).toHaveLength(1);
    expect(model.certificates[0]).toMatchObject({
      kind: "expire_time",
      chainPosition: null,
      notBefore: null,
      notAfter: NOW + 20 * DAY,
      severity: "warning", // < 28 days
      thresholds: { warningSeconds: 28 * DAY, criticalSeconds: 7 * DAY },
    });
  });

  it("adds an expire_time row when the readable part of a PEM does not account for it", () => {
    const intermediate = x509(-100, 700, { chainPosition: "intermediate" });
    const model = build({
      snapshot: snapshot(elbSource([elbCertificate("c1", "half", [intermediate], NOW + 3 * DAY)])),
    });
    expect(model.certificates.map((row) => [row.kind, row.severity])).toEqual([
      ["expire_time", "critical"],
      ["x509", "ok"],
    ]);
  });

  it("adds no expire_time row when a certificate has that notAfter, or none is known", () => {
    const leaf = x509(-10, 80);
    const model = build({
      snapshot: snapshot(
        elbSource([
          elbCertificate("c1", "same", [leaf], leaf.notAfter + 0.5),
          elbCertificate("c2", "none", [x509(-10, 80)], null),
        ]),
      ),
    });
    expect(model.certificates.every((row) => row.kind === "x509")).toBe(true);
    expect(model.certificates).toHaveLength(2);
  });

  it("shows a CA once per instance when several links serve it", () => {
    const ca = x509(-10, 400, { chainPosition: "root" });
    const both = [link([ca]), { ...link([ca]), category: "national" }];
    const model = build({ snapshot: snapshot(geminiDbSource([instance("i1", "db", both)])) });
    expect(model.certificates).toHaveLength(1);
    expect(model.instances[0]?.links.map((entry) => entry.category)).toEqual([
      "international",
      "national",
    ]);
  });

  it("reports a down source with its redacted error, and a down CA link, as problems", () => {
    const model = build({
      snapshot: snapshot(
        elbSource([elbCertificate("c1", "kept", [x509(-10, 80)])], {
          up: false,
          lastError: { reason: "auth_failed", message: "elb list: HTTP 401: token SECRET-TOKEN" },
        }),
        geminiDbSource([instance("i1", "db", [link([], false)])]),
      ),
      redact: (text) => text.replace("SECRET-TOKEN", "[REDACTED]"),
    });
    // The last good certificates stay listed while the source is down.
    expect(model.certificates).toHaveLength(1);
    expect(model.sources[0]?.lastError?.message).toBe("elb list: HTTP 401: token [REDACTED]");
    expect(model.problems).toEqual([
      {
        source: "elb",
        region: "ap-southeast-1",
        projectId: "p1",
        resource: null,
        reason: "auth_failed",
        message: "elb list: HTTP 401: token [REDACTED]",
      },
      {
        source: "geminidb",
        region: "ap-southeast-1",
        projectId: "p1",
        resource: { id: "i1", name: "db", category: "international" },
        reason: "http_status",
        message: "CA download link (international) is down: HTTP 404",
      },
    ]);
  });

  it("does not count a source that has not been polled yet as a problem", () => {
    const model = build({
      snapshot: {
        sources: [elbSource([], { up: false, lastAttemptSeconds: null, lastSuccessSeconds: null })],
        completedPolls: 0,
        lastPoll: null,
      },
    });
    expect(model.problems).toEqual([]);
    expect(model.lastPoll).toBeNull();
  });

  it("uses the threshold rule it is given (check's fixed days)", () => {
    const model = build({
      snapshot: snapshot(elbSource([elbCertificate("c1", "web", [x509(-80, 29)])])),
      thresholds: () => fixedThresholds(30, 7),
    });
    expect(model.certificates[0]?.severity).toBe("warning");
    const relative = build({
      snapshot: snapshot(elbSource([elbCertificate("c1", "web", [x509(-80, 29)])])),
    });
    expect(relative.certificates[0]?.severity).toBe("ok");
  });
});
