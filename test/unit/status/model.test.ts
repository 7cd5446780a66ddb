// buildStatusModel: which rows exist, their order, usage and severity, what counts as unreadable,
// and that error texts pass through the redactor.

import { describe, expect, it } from "vitest";
import { buildStatusModel, type StatusInput } from "../../../src/status/model.js";
import type { ListenerBinding } from "../../../src/sources/elb/snapshot.js";
import { fixedThresholds, lifetimeThresholds } from "../../../src/status/severity.js";
import {
  ccmCertificate,
  ccmSource,
  DAY,
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  NOW,
  snapshot,
  x509,
} from "../../fixtures/snapshots.js";

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
    expect(model.counts).toEqual({ expired: 1, critical: 1, warning: 1, notice: 0, ok: 1 });
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

  it("judges an expire_time that disagrees with the leaf by the leaf's own lifetime, as the rules", () => {
    // A 30-day leaf (limits 9 d / 3 d) with 20 days left; the API says 8 days. From the leaf's
    // notBefore to that expire_time would be 18 days (limits 5.4 d / 1.8 d): ok, where the
    // rules' hwcert:elb_certificate_lifetime_seconds (the leaf's) warns.
    const leaf = x509(-10, 20);
    const model = build({
      snapshot: snapshot(elbSource([elbCertificate("c1", "apart", [leaf], NOW + 8 * DAY)])),
    });
    expect(model.certificates.map((row) => [row.kind, row.severity])).toEqual([
      ["expire_time", "warning"],
      ["x509", "ok"],
    ]);
    expect(model.certificates[0]).toMatchObject({
      notBefore: leaf.notBefore,
      notAfter: NOW + 8 * DAY,
      thresholds: { warningSeconds: 9 * DAY, criticalSeconds: 3 * DAY },
    });
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
        resource: { id: "i1", name: "db", kind: "geminidb_instance", category: "international" },
        reason: "http_status",
        message: "CA download failed: answered HTTP 404",
      },
    ]);
  });

  it("lists each unreadable resource by name with its reason, and keeps its certificates", () => {
    const intermediate = x509(-100, 700, { chainPosition: "intermediate" });
    const ccm = ccmSource([
      {
        ...ccmCertificate("scs-1", "shop", null, null),
        brand: "DigiCert",
        detailsFor: null,
        problems: [
          {
            reason: "http_5xx",
            message: "details could not be read: ccm show_certificate: HTTP 503: token SECRET",
          },
        ],
      },
    ]);
    const broken = {
      ...elbCertificate("c1", "half", [intermediate], NOW + 40 * DAY),
      problems: [
        { reason: "bad_pem", message: "PEM certificate block 1 is not valid base64" },
      ] as const,
    };
    const partial = {
      ...link([x509(-10, 400, { chainPosition: "root" })]),
      problem: { reason: "bad_content", message: "the CA file has unreadable parts" } as const,
    };
    const model = build({
      snapshot: snapshot(
        elbSource([broken, elbCertificate("c2", "fine", [x509(-10, 80)])]),
        geminiDbSource([instance("i1", "orders", [partial])]),
        ccm,
      ),
      redact: (text) => text.replace("SECRET", "[REDACTED]"),
    });
    expect(model.problems).toEqual([
      {
        source: "elb",
        region: "ap-southeast-1",
        projectId: "p1",
        resource: { id: "c1", name: "half", kind: "elb_certificate", category: "" },
        reason: "bad_pem",
        message: "PEM certificate block 1 is not valid base64",
      },
      {
        source: "geminidb",
        region: "ap-southeast-1",
        projectId: "p1",
        resource: {
          id: "i1",
          name: "orders",
          kind: "geminidb_instance",
          category: "international",
        },
        reason: "bad_content",
        message: "the CA file has unreadable parts",
      },
      {
        source: "ccm",
        region: "ap-southeast-1",
        projectId: "p1",
        resource: { id: "scs-1", name: "shop", kind: "ccm_certificate", category: "" },
        reason: "http_5xx",
        message: "details could not be read: ccm show_certificate: HTTP 503: token [REDACTED]",
      },
    ]);
    // What could be read is still shown: the readable intermediate and the API's expire_time.
    expect(model.certificates.filter((row) => row.resourceId === "c1")).toHaveLength(2);
    // A link up with unreadable parts is a problem, not a link down.
    expect(model.instances[0]?.links[0]?.up).toBe(true);
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

  describe("usage", () => {
    const listener: ListenerBinding = {
      role: "default",
      listenerId: "l1",
      listenerName: "https",
      protocol: "HTTPS",
      port: 443,
      loadBalancerId: "lb1",
      tags: {},
    };

    it("pages only for ELB certificates on a listener or with listeners unknown", () => {
      const bound = elbCertificate("c1", "bound", [x509(-80, 5)]);
      const unbound = elbCertificate("c2", "unbound", [x509(-80, 5)]);
      const known = build({
        snapshot: snapshot(
          elbSource([bound, unbound], { listenerBindings: new Map([["c1", [listener]]]) }),
        ),
      });
      expect(known.certificates.map((row) => [row.resourceName, row.usage, row.severity])).toEqual([
        ["bound", "in_use", "critical"],
        ["unbound", "stored", "notice"],
      ]);
      expect(known.counts).toMatchObject({ critical: 1, notice: 1 });
      const unknown = build({ snapshot: snapshot(elbSource([bound, unbound])) });
      expect(unknown.certificates.map((row) => [row.usage, row.severity])).toEqual([
        ["unknown", "critical"],
        ["unknown", "critical"],
      ]);
    });

    it("takes the operator's stored mark, except where a listener uses the certificate", () => {
      const model = build({
        snapshot: snapshot(
          elbSource(
            [
              elbCertificate("c1", "bound", [x509(-80, 5)]),
              elbCertificate("c2", "spare", [x509(-400, -1)]),
            ],
            { listenerBindings: new Map([["c1", [listener]]]) },
          ),
          elbSource([elbCertificate("c3", "legacy", [x509(-80, 5)])], { projectId: "p2" }),
        ),
        storedCertificates: new Set(["c1", "c2", "c3"]),
      });
      expect(model.certificates.map((row) => [row.resourceName, row.usage, row.severity])).toEqual([
        ["spare", "stored", "notice"],
        ["bound", "in_use", "critical"],
        ["legacy", "stored", "notice"],
      ]);
    });

    it("keeps a CCM certificate in use unless nothing uses it and it is marked stored", () => {
      const used = elbCertificate("e1", "web", [x509(-10, 300)]);
      const model = build({
        snapshot: snapshot(
          // The user is in another project: CCM is account-wide.
          elbSource([{ ...used, ccmCertificateId: "scs-used" }], { projectId: "p9" }),
          ccmSource([
            ccmCertificate("scs-used", "used", -80, 5),
            ccmCertificate("scs-unmarked", "unmarked", -80, 5),
            ccmCertificate("scs-marked", "marked", -80, 5),
            ccmCertificate("scs-marked-used", "marked-used", -80, 6),
          ]),
          geminiDbSource([{ ...instance("i1", "db", []), ccmCertificateId: "scs-marked-used" }]),
        ),
        storedCertificates: new Set(["scs-marked", "scs-marked-used"]),
      });
      const ccm = model.certificates.filter((row) => row.source === "ccm");
      expect(ccm.map((row) => [row.resourceName, row.usage, row.severity])).toEqual([
        ["unmarked", "in_use", "critical"],
        ["used", "in_use", "critical"],
        ["marked", "stored", "notice"],
        ["marked-used", "in_use", "critical"],
      ]);
      expect(ccm.find((row) => row.resourceId === "scs-used")?.usedBy).toEqual([
        {
          source: "elb",
          region: "ap-southeast-1",
          projectId: "p9",
          resourceId: "e1",
          resourceName: "web",
        },
      ]);
      expect(ccm.find((row) => row.resourceId === "scs-unmarked")?.usedBy).toEqual([]);
      expect(model.certificates.find((row) => row.source === "elb")?.usedBy).toBeNull();
    });

    it("judges CCM's revoked and expired statuses as the rules do, in use and stored", () => {
      const model = build({
        snapshot: snapshot(
          ccmSource([
            ccmCertificate("scs-1", "revoked", -30, 300, "revoked"),
            ccmCertificate("scs-2", "revoked-stored", -30, 300, "revoked"),
            ccmCertificate("scs-3", "status-expired", -30, 300, "expired"),
            ccmCertificate("scs-4", "pending", null, null, "pending"),
          ]),
        ),
        storedCertificates: new Set(["scs-2"]),
      });
      expect(model.certificates.map((row) => [row.resourceName, row.usage, row.severity])).toEqual([
        // Equal time left: the most urgent first.
        ["status-expired", "in_use", "expired"],
        ["revoked", "in_use", "critical"],
        ["revoked-stored", "stored", "notice"],
      ]);
    });

    it("judges stored certificates as if in use when asked (check --include-stored)", () => {
      const model = build({
        snapshot: snapshot(
          elbSource([elbCertificate("c1", "spare", [x509(-400, -1)])], {
            listenerBindings: new Map(),
          }),
        ),
        includeStored: true,
      });
      expect(model.certificates.map((row) => [row.usage, row.severity])).toEqual([
        ["stored", "expired"],
      ]);
    });
  });
});
