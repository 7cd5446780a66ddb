// The check command's text report: columns, order, the verdict line, and hostile names kept
// from steering the terminal.

import { describe, expect, it } from "vitest";
import { renderCheckJson, renderCheckReport } from "../../../src/status/check-report.js";
import { buildStatusModel } from "../../../src/status/model.js";
import { displayWidth, terminalSafe, truncateToWidth } from "../../../src/status/terminal-text.js";
import type { ListenerBinding } from "../../../src/sources/elb/snapshot.js";
import { fixedThresholds } from "../../../src/status/severity.js";
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
} from "../../fixtures/snapshots.js";

const HOSTILE = "evil\u001b]0;pwned\u0007\u001b[2J\u202egnp.exe";

const LISTENER: ListenerBinding = {
  role: "default",
  listenerId: "l1",
  listenerName: "https",
  protocol: "HTTPS",
  port: 443,
  loadBalancerId: "lb1",
  tags: {},
};

/** c1 to c3 on a listener; c4 on none (stored only). */
function model(includeStored = false) {
  return buildStatusModel({
    snapshot: snapshot(
      elbSource(
        [
          elbCertificate("c1", "www", [x509(-80, 50, { subjectCn: "www.example.com" })]),
          elbCertificate("c2", HOSTILE, [x509(-80, 3, { subjectCn: "<b>cn</b>" })]),
          elbCertificate("c3", "broken", [], NOW + 20 * 86_400),
          elbCertificate("c4", "spare", [x509(-80, 10, { subjectCn: "spare.example.com" })]),
        ],
        { listenerBindings: new Map(["c1", "c2", "c3"].map((id) => [id, [LISTENER]])) },
      ),
    ),
    version: "test",
    now: NOW,
    nextPollSeconds: null,
    pollInProgress: false,
    thresholds: () => fixedThresholds(30, 7),
    includeStored,
  });
}

describe("renderCheckReport", () => {
  it("prints an aligned table, least time left first, and the verdict", () => {
    const m = model();
    const text = renderCheckReport(m, checkVerdict(m), {
      fixedDays: { warnDays: 30, criticalDays: 7 },
      colour: false,
    });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^STATUS\s+DAYS\s+NOT AFTER\s+SOURCE\s+USE\s+CERTIFICATE\s+SUBJECT CN\s+CHAIN\s+REGION\s+PROJECT$/,
    );
    expect(lines[1]).toMatch(/^CRITICAL\s+3\.0\s+2030-.* ELB\s+in use\s+evil/);
    expect(lines[2]).toMatch(/^NOTICE\s+10\.0 .* ELB\s+stored\s+spare\s+spare\.example\.com/);
    expect(lines[3]).toMatch(/^WARNING\s+20\.0 .* in use\s+broken .* expire_time \(API\)/);
    expect(lines[4]).toMatch(
      /^OK\s+50\.0 .* in use\s+www\s+www\.example\.com\s+leaf\s+ap-southeast-1\s+p1$/,
    );
    expect(text).toContain(
      "0 expired, 1 critical (< 7 d), 1 warning (< 30 d), 1 notice (stored only), 1 ok; 0 unreadable.",
    );
    expect(text).not.toContain("--include-stored");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "Exit 2 (critical): 1 certificate expired, revoked or within the critical limit.",
    );
    // Columns line up: every row's DAYS ends where the header's does.
    const end = (lines[0] ?? "").indexOf("DAYS") + 4;
    for (const line of lines.slice(1, 5)) expect(line[end - 1]).toBe("0");
  });

  it("says when stored certificates were judged as if in use", () => {
    const m = model(true);
    const text = renderCheckReport(m, checkVerdict(m), {
      fixedDays: { warnDays: 30, criticalDays: 7 },
      includeStored: true,
      colour: false,
    });
    expect(text).toMatch(/^WARNING\s+10\.0 .* stored\s+spare/m);
    expect(text).toContain("1 critical (< 7 d), 2 warning (< 30 d), 0 notice (stored only)");
    expect(text).toContain("Stored certificates were judged as if in use (--include-stored).");
  });

  it("never passes escape or bidirectional control characters through", () => {
    const m = model();
    const text = renderCheckReport(m, checkVerdict(m), {
      fixedDays: { warnDays: 30, criticalDays: 7 },
      colour: false,
    });
    const controls = (text.match(/[\p{Cc}\u202a-\u202e]/gu) ?? []).filter((c) => c !== "\n");
    expect(controls).toEqual([]);
    expect(text).toContain("evil\ufffd]0;pwned\ufffd\ufffd[2J\ufffdgnp.exe");
    expect(text).toContain("<b>cn</b>");
  });

  it("colours only the status column and the verdict when asked", () => {
    const m = model();
    const text = renderCheckReport(m, checkVerdict(m), {
      fixedDays: { warnDays: 30, criticalDays: 7 },
      colour: true,
    });
    expect(text).toContain("\u001b[31mCRITICAL\u001b[0m");
    expect(text).toContain("\u001b[36mNOTICE  \u001b[0m");
    expect(text).toContain("\u001b[31mExit 2 (critical)");
  });
});

describe("renderCheckReport: what could not be read", () => {
  it("names each unreadable resource, counts it as unreadable and exits 3", () => {
    const m = buildStatusModel({
      snapshot: snapshot(
        elbSource([
          elbCertificate("c1", "www", [x509(-80, 50)]),
          {
            ...elbCertificate("c2", "broken-upload", [], NOW + 60 * 86_400),
            problems: [
              {
                reason: "bad_pem",
                message: "no certificate found; no readable certificates in the PEM",
              },
            ],
          },
        ]),
        geminiDbSource([instance("db-1", "orders", [link([], false)])]),
      ),
      version: "test",
      now: NOW,
      nextPollSeconds: null,
      pollInProgress: false,
      thresholds: () => fixedThresholds(30, 7),
    });
    const verdict = checkVerdict(m);
    const text = renderCheckReport(m, verdict, {
      fixedDays: { warnDays: 30, criticalDays: 7 },
      colour: false,
    });
    expect(text).toContain(
      [
        "Could not read:",
        "  ELB p1/ap-southeast-1 certificate broken-upload (c2): bad_pem: no certificate found; no readable certificates in the PEM",
        "  GeminiDB p1/ap-southeast-1 instance orders (db-1) link international: http_status: CA download failed: answered HTTP 404",
      ].join("\n"),
    );
    expect(text).toContain(
      "0 expired, 0 critical (< 7 d), 0 warning (< 30 d), 0 notice (stored only), 2 ok; 2 unreadable.",
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "Exit 3 (unreadable): 2 resources could not be read.",
    );
  });
});

describe("renderCheckJson", () => {
  it("carries the verdict and the limits next to the status document", () => {
    const m = model();
    const document = JSON.parse(
      renderCheckJson(m, checkVerdict(m), { fixedDays: { warnDays: 30, criticalDays: 7 } }),
    ) as {
      check: unknown;
      certificates: { resourceName: string; severity: string; daysLeft: number; usage: string }[];
    };
    expect(document.check).toEqual({
      exitCode: 2,
      status: "critical",
      summary: "1 certificate expired, revoked or within the critical limit",
      limits: "fixed-days",
      warnDays: 30,
      criticalDays: 7,
      includeStored: false,
    });
    expect(
      document.certificates.map((row) => [row.resourceName, row.severity, row.daysLeft, row.usage]),
    ).toEqual([
      [HOSTILE, "critical", 3, "in_use"],
      ["spare", "notice", 10, "stored"],
      ["broken", "warning", 20, "in_use"],
      ["www", "ok", 50, "in_use"],
    ]);
  });
});

describe("terminal text", () => {
  it.each([
    ["plain", "plain"],
    ["\u001b[31mred", "\ufffd[31mred"],
    ["a\u009bb", "a\ufffdb"],
    ["\u2067isolate\u2069", "\ufffdisolate\ufffd"],
    ["证书", "证书"],
  ])("terminalSafe(%j)", (input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it("counts wide characters as two columns when truncating", () => {
    expect(displayWidth("证书ab")).toBe(6);
    expect(truncateToWidth("证书证书证书", 7)).toBe("证书证…");
    expect(truncateToWidth("short", 7)).toBe("short");
  });
});
