// One table of cases proves the severity model and the shipped alert rules agree. Each case
// becomes a snapshot; the status model (src/status/severity.ts through buildStatusModel) judges
// it, and the exporter's own metrics of the same snapshot, fed to `promtool test rules`, show
// which alerts fire after their `for:` and what hwcert:certificate_severity records. Expired and
// critical must page (a critical alert), warning must warn, notice must be an info alert, ok
// must raise nothing; and the dashboard recording must count the page's rows.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ParsedCertificate } from "../../src/certs/types.js";
import { renderedChunks, renderSnapshotMetrics } from "../../src/metrics/snapshot-renderer.js";
import type { Snapshot } from "../../src/poll/snapshot.js";
import type { SourceSnapshot } from "../../src/sources/index.js";
import type { CcmStatus } from "../../src/sources/ccm/snapshot.js";
import type { ElbSourceSnapshot, ListenerBinding } from "../../src/sources/elb/snapshot.js";
import { SOURCES } from "../../src/sources/index.js";
import { buildStatusModel, type StatusModel } from "../../src/status/model.js";
import {
  ALERT_SEVERITY,
  effectiveThresholds,
  type ExpiryThresholds,
  type Severity,
} from "../../src/status/severity.js";
import {
  ccmCertificate,
  ccmSource,
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
} from "../fixtures/snapshots.js";
import { RULES_FILE, requireBinaries, run } from "./tools.js";

const DAY = 86_400;
/**
 * promtool's clock starts at 0; the rules run every 12 hours until this time, when they are
 * judged. Every case keeps its severity for the 12 hours before (its alerts' `for:` then ends).
 */
const EVAL_DAYS = 100;
const NOW = EVAL_DAYS * DAY;
const INTERVAL_HOURS = 12;
const SAMPLES = (EVAL_DAYS * 24) / INTERVAL_HOURS;

type AlertSeverity = "critical" | "warning" | "info";
type Alert = `HuaweiCloud${string}/${AlertSeverity}`;

interface Case {
  readonly name: string;
  /** `elb_expire_time`: an ELB certificate whose PEM cannot be read, known by expire_time. */
  readonly source: "elb" | "elb_expire_time" | "geminidb" | "ccm";
  readonly daysLeft: number;
  /** notAfter − notBefore in days; null: notBefore unknown. */
  readonly lifetimeDays: number | null;
  /** The resource's own thresholds in days (HWCERT_CERTIFICATE_THRESHOLDS). */
  readonly override?: readonly [warning: number, critical: number];
  /**
   * ELB: on a `listener`, on `no_listener`, or listeners `unknown`. CCM: used by a GeminiDB
   * instance (`user`) or by `nothing`. GeminiDB: its `instance`.
   */
  readonly use: "listener" | "no_listener" | "unknown" | "user" | "nothing" | "instance";
  /** Listed in HWCERT_STORED_CERTIFICATES. */
  readonly marked?: boolean;
  readonly ccmStatus?: CcmStatus;
  /** ELB: a lone self-signed certificate (chain position root), e.g. made with openssl req -x509. */
  readonly selfSigned?: true;
  /** ELB: the API's expire_time this many days after the X.509 leaf's notAfter (they disagree). */
  readonly expireTimeOffsetDays?: number;
  /** What the status page, its JSON and `check` must say (its most urgent row). */
  readonly severity: Severity;
  /** Every row's severity, when the resource has more than one row. */
  readonly rows?: readonly Severity[];
  /** Every alert the rules must fire about the certificate: name and severity label. */
  readonly alerts: readonly Alert[];
}

const X509_PAGES: readonly Alert[] = [
  "HuaweiCloudCertificateExpiring/warning",
  "HuaweiCloudCertificateExpiring/critical",
];
const X509_WARNS: readonly Alert[] = ["HuaweiCloudCertificateExpiring/warning"];
/** An ELB certificate in use: its X.509 leaf and the API's expire_time both alert. */
const ELB_PAGES: readonly Alert[] = [
  ...X509_PAGES,
  "HuaweiCloudELBCertificateExpiring/warning",
  "HuaweiCloudELBCertificateExpiring/critical",
];
const ELB_WARNS: readonly Alert[] = [...X509_WARNS, "HuaweiCloudELBCertificateExpiring/warning"];
const CCM_PAGES: readonly Alert[] = [
  "HuaweiCloudCCMCertificateExpiring/warning",
  "HuaweiCloudCCMCertificateExpiring/critical",
];
const STORED_EXPIRING: Alert = "HuaweiCloudCertificateStoredOnlyExpiring/info";
const REVOKED: Alert = "HuaweiCloudCCMCertificateRevoked/critical";
const STORED_REVOKED: Alert = "HuaweiCloudCCMCertificateStoredOnlyRevoked/info";

const CASES: readonly Case[] = [
  // ELB certificates: usage from the listeners.
  {
    name: "ELB on a listener, expired a day ago",
    source: "elb",
    daysLeft: -1,
    lifetimeDays: 90,
    use: "listener",
    severity: "expired",
    alerts: ELB_PAGES,
  },
  {
    name: "ELB on no listener, expired a day ago",
    source: "elb",
    daysLeft: -1,
    lifetimeDays: 90,
    use: "no_listener",
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  {
    name: "ELB on a listener, 90-day, 5 days left",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "listener",
    severity: "critical",
    alerts: ELB_PAGES,
  },
  {
    name: "ELB on a listener, 90-day, 20 days left",
    source: "elb",
    daysLeft: 20,
    lifetimeDays: 90,
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "ELB on a listener, 90-day, 40 days left",
    source: "elb",
    daysLeft: 40,
    lifetimeDays: 90,
    use: "listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "ELB on no listener, 90-day, 20 days left",
    source: "elb",
    daysLeft: 20,
    lifetimeDays: 90,
    use: "no_listener",
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  {
    name: "ELB on no listener, 90-day, 40 days left",
    source: "elb",
    daysLeft: 40,
    lifetimeDays: 90,
    use: "no_listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "ELB listeners unknown (no in-use series), 5 days left: pages rather than miss",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "unknown",
    severity: "critical",
    alerts: ELB_PAGES,
  },
  {
    name: "ELB listeners unknown, marked stored, 5 days left",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "unknown",
    marked: true,
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  {
    name: "ELB on a listener and marked stored: the listener wins",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "listener",
    marked: true,
    severity: "critical",
    alerts: ELB_PAGES,
  },
  // Thresholds: override, lifetime-relative, absolute.
  {
    name: "override 14d/3d, 5 days left: only a warning",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 90,
    override: [14, 3],
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "override 60d/20d, 40 days left: a warning",
    source: "elb",
    daysLeft: 40,
    lifetimeDays: 90,
    override: [60, 20],
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "override 60d/20d, 15 days left: pages",
    source: "elb",
    daysLeft: 15,
    lifetimeDays: 90,
    override: [60, 20],
    use: "listener",
    severity: "critical",
    alerts: ELB_PAGES,
  },
  {
    name: "override 60d/20d on a stored certificate, 40 days left: a notice",
    source: "elb",
    daysLeft: 40,
    lifetimeDays: 90,
    override: [60, 20],
    use: "no_listener",
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  {
    name: "6-day certificate, 2.5 days left: ok (absolute limits would page)",
    source: "elb",
    daysLeft: 2.5,
    lifetimeDays: 6,
    use: "listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "6-day certificate, 1 day left: warning (43.2 h)",
    source: "elb",
    daysLeft: 1,
    lifetimeDays: 6,
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "30-day certificate, 5 days left: warning (9 d; the absolute 7 d would page)",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 30,
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "30-day certificate, 2 days left: critical (3 d)",
    source: "elb",
    daysLeft: 2,
    lifetimeDays: 30,
    use: "listener",
    severity: "critical",
    alerts: ELB_PAGES,
  },
  {
    name: "100-day certificate, 29 days left: ok (capped at 28 d, not 30)",
    source: "elb",
    daysLeft: 29,
    lifetimeDays: 100,
    use: "listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "100-day certificate, 8 days left: warning (capped at 7 d, not 10)",
    source: "elb",
    daysLeft: 8,
    lifetimeDays: 100,
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "self-signed 30-day certificate (its own root), 14 days left: ok (9 d, not the absolute 28 d)",
    source: "elb",
    daysLeft: 14,
    lifetimeDays: 30,
    selfSigned: true,
    use: "listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "self-signed 30-day certificate, 5 days left: a warning, not a page (3 d, not 7 d)",
    source: "elb",
    daysLeft: 5,
    lifetimeDays: 30,
    selfSigned: true,
    use: "listener",
    severity: "warning",
    alerts: ELB_WARNS,
  },
  {
    name: "self-signed 30-day certificate on no listener, 14 days left: not even a notice",
    source: "elb",
    daysLeft: 14,
    lifetimeDays: 30,
    selfSigned: true,
    use: "no_listener",
    severity: "ok",
    alerts: [],
  },
  {
    name: "expire_time 12 days before its 30-day leaf's notAfter: judged by the leaf's lifetime",
    source: "elb",
    daysLeft: 20,
    lifetimeDays: 30,
    expireTimeOffsetDays: -12,
    use: "listener",
    severity: "warning",
    rows: ["warning", "ok"],
    alerts: ["HuaweiCloudELBCertificateExpiring/warning"],
  },
  {
    name: "ELB expire_time only (broken PEM), 20 days left: absolute 28 days",
    source: "elb_expire_time",
    daysLeft: 20,
    lifetimeDays: null,
    use: "listener",
    severity: "warning",
    alerts: ["HuaweiCloudELBCertificateExpiring/warning"],
  },
  {
    name: "ELB expire_time only, on no listener, 5 days left",
    source: "elb_expire_time",
    daysLeft: 5,
    lifetimeDays: null,
    use: "no_listener",
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  // GeminiDB CAs are always in use.
  {
    name: "GeminiDB CA, 90-day, 5 days left",
    source: "geminidb",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "instance",
    severity: "critical",
    alerts: X509_PAGES,
  },
  {
    name: "GeminiDB CA, expired",
    source: "geminidb",
    daysLeft: -2,
    lifetimeDays: 90,
    use: "instance",
    severity: "expired",
    alerts: X509_PAGES,
  },
  // CCM certificates: in use unless nothing uses them and the operator marked them stored.
  {
    name: "CCM used by an instance, revoked, 60 days left",
    source: "ccm",
    daysLeft: 60,
    lifetimeDays: 90,
    use: "user",
    ccmStatus: "revoked",
    severity: "critical",
    alerts: [REVOKED],
  },
  {
    name: "CCM used by nothing and unmarked (in use), revoked",
    source: "ccm",
    daysLeft: 60,
    lifetimeDays: 90,
    use: "nothing",
    ccmStatus: "revoked",
    severity: "critical",
    alerts: [REVOKED],
  },
  {
    name: "CCM marked stored, revoked, 60 days left",
    source: "ccm",
    daysLeft: 60,
    lifetimeDays: 90,
    use: "nothing",
    marked: true,
    ccmStatus: "revoked",
    severity: "notice",
    alerts: [STORED_REVOKED],
  },
  {
    name: "CCM used by nothing and unmarked (in use), 5 days left",
    source: "ccm",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "nothing",
    severity: "critical",
    alerts: CCM_PAGES,
  },
  {
    name: "CCM marked stored, 5 days left",
    source: "ccm",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "nothing",
    marked: true,
    severity: "notice",
    alerts: [STORED_EXPIRING],
  },
  {
    name: "CCM marked stored, 40 days left",
    source: "ccm",
    daysLeft: 40,
    lifetimeDays: 90,
    use: "nothing",
    marked: true,
    severity: "ok",
    alerts: [],
  },
  {
    name: "CCM marked stored but used by an instance: the use wins",
    source: "ccm",
    daysLeft: 5,
    lifetimeDays: 90,
    use: "user",
    marked: true,
    severity: "critical",
    alerts: CCM_PAGES,
  },
  {
    name: "CCM in use, expired a day ago, status expired",
    source: "ccm",
    daysLeft: -1,
    lifetimeDays: 90,
    use: "user",
    ccmStatus: "expired",
    severity: "expired",
    alerts: [...CCM_PAGES, REVOKED],
  },
  {
    name: "CCM marked stored, expired a day ago, status expired",
    source: "ccm",
    daysLeft: -1,
    lifetimeDays: 90,
    use: "nothing",
    marked: true,
    ccmStatus: "expired",
    severity: "notice",
    alerts: [STORED_EXPIRING, STORED_REVOKED],
  },
  {
    name: "CCM in use, status expired with 10 days left",
    source: "ccm",
    daysLeft: 10,
    lifetimeDays: 90,
    use: "user",
    ccmStatus: "expired",
    severity: "expired",
    alerts: ["HuaweiCloudCCMCertificateExpiring/warning", REVOKED],
  },
  {
    name: "CCM in use, no notBefore, 20 days left: absolute 28 days",
    source: "ccm",
    daysLeft: 20,
    lifetimeDays: null,
    use: "nothing",
    severity: "warning",
    alerts: ["HuaweiCloudCCMCertificateExpiring/warning"],
  },
];

const id = (index: number): string => `case-${String(index).padStart(2, "0")}`;

const LISTENER: ListenerBinding = {
  role: "default",
  listenerId: "listener-1",
  listenerName: "https",
  protocol: "HTTPS",
  port: 443,
  loadBalancerId: "lb-1",
  tags: {},
};

function certificate(entry: Case): ParsedCertificate {
  const notAfter = NOW + entry.daysLeft * DAY;
  const root = entry.source === "geminidb" || entry.selfSigned === true;
  return {
    chainPosition: root ? "root" : "leaf",
    subject: "CN=host.example.com",
    issuer: "CN=Example CA",
    subjectCn: "host.example.com",
    issuerCn: "Example CA",
    serialNumber: "01",
    notBefore: notAfter - (entry.lifetimeDays ?? 90) * DAY,
    notAfter,
    fingerprintSha256: "0".repeat(64),
    sans: "",
    keyAlgorithm: "EC-P-256",
    isCa: root,
    selfSigned: root,
  };
}

/** Each case in a project of its own, so its listeners are known or not on their own. */
function sourcesOf(entry: Case, index: number): SourceSnapshot[] {
  const resourceId = id(index);
  const at = { projectId: `project-${resourceId}`, lastSuccessSeconds: NOW - 60 };
  switch (entry.source) {
    case "elb":
    case "elb_expire_time": {
      const x509 = entry.source === "elb" ? [certificate(entry)] : [];
      const bindings: Partial<ElbSourceSnapshot> =
        entry.use === "listener"
          ? { listenerBindings: new Map([[resourceId, [LISTENER]]]) }
          : entry.use === "no_listener"
            ? { listenerBindings: new Map() }
            : {};
      return [
        elbSource(
          [
            elbCertificate(
              resourceId,
              resourceId,
              x509,
              NOW + (entry.daysLeft + (entry.expireTimeOffsetDays ?? 0)) * DAY,
            ),
          ],
          {
            ...at,
            ...bindings,
          },
        ),
      ];
    }
    case "geminidb":
      return [geminiDbSource([instance(resourceId, resourceId, [link([certificate(entry)])])], at)];
    case "ccm": {
      const sources: SourceSnapshot[] = [
        ccmSource(
          [
            {
              ...ccmCertificate(resourceId, resourceId, null, null, entry.ccmStatus),
              notBefore:
                entry.lifetimeDays === null
                  ? null
                  : NOW + (entry.daysLeft - entry.lifetimeDays) * DAY,
              notAfter: NOW + entry.daysLeft * DAY,
            },
          ],
          at,
        ),
      ];
      if (entry.use === "user") {
        // An instance whose certificate lives in CCM: no CA to download, no row of its own.
        sources.push(
          geminiDbSource(
            [
              {
                ...instance(`${resourceId}-user`, `${resourceId}-user`, []),
                certOrigin: "ccm",
                ccmCertificateId: resourceId,
              },
            ],
            { ...at, projectId: `project-${resourceId}-user` },
          ),
        );
      }
      return sources;
    }
  }
}

const snapshot: Snapshot = {
  sources: CASES.flatMap(sourcesOf),
  completedPolls: 1,
  lastPoll: { startedAtSeconds: NOW - 61, finishedAtSeconds: NOW - 60 },
};
const overrides = new Map<string, ExpiryThresholds>(
  CASES.flatMap((entry, index) =>
    entry.override === undefined
      ? []
      : [
          [
            id(index),
            { warningSeconds: entry.override[0] * DAY, criticalSeconds: entry.override[1] * DAY },
          ] as const,
        ],
  ),
);
const storedCertificates = new Set(
  CASES.flatMap((entry, index) => (entry.marked === true ? [id(index)] : [])),
);

const model: StatusModel = buildStatusModel({
  sources: SOURCES,
  snapshot,
  version: "test",
  now: NOW,
  nextPollSeconds: null,
  pollInProgress: false,
  // The daemon's rule, as the alert rules: the override, else lifetime-relative, else absolute.
  thresholds: (validity, resourceId) => effectiveThresholds(validity, overrides.get(resourceId)),
  storedCertificates,
});

const RANK: Readonly<Record<AlertSeverity, number>> = { info: 1, warning: 2, critical: 3 };

describe("the severity model", () => {
  it.each(CASES.map((entry, index) => [entry.name, entry, index] as const))(
    "%s",
    (_name, entry, index) => {
      const rows = model.certificates.filter((row) => row.resourceId === id(index));
      expect(rows.map((row) => row.severity)).toEqual(entry.rows ?? [entry.severity]);
      // The table's alerts speak of the same severity: the most urgent alert is the one the
      // model's severity maps to; ok raises nothing, a notice only info alerts.
      const severities = entry.alerts.map((alert) => alert.split("/")[1] as AlertSeverity);
      const most = severities.sort((a, b) => RANK[b] - RANK[a])[0] ?? null;
      expect(most).toBe(ALERT_SEVERITY[entry.severity]);
      if (entry.severity === "notice") expect(new Set(severities)).toEqual(new Set(["info"]));
    },
  );
});

/** The exporter's exposition as promtool input series, constant from 0 to the evaluation. */
function inputSeries(text: string): { series: string; values: string }[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`unexpected exposition line: ${line}`);
      const [, name = "", labels = "", value = ""] = match;
      const scrape = 'job="huaweicloud-cert-exporter",instance="exporter-a:10057"';
      return {
        series: `${name}{${labels === "" ? scrape : `${scrape},${labels}`}}`,
        values: `${value}+0x${String(SAMPLES)}`,
      };
    });
}

const tools = requireBinaries("severity agreement with the alert rules", ["promtool"]);

describe.skipIf(tools.skip)("the alert rules in promtool", () => {
  it("fire, and record hwcert:certificate_severity, as the model says for every case", () => {
    const metrics = Buffer.concat(
      renderedChunks(
        renderSnapshotMetrics(SOURCES, snapshot, {
          thresholdOverrides: overrides,
          storedCertificates,
        }),
      ),
    ).toString("utf8");
    const evalTime = `${String(EVAL_DAYS)}d`;
    const alerts = CASES.flatMap((entry, index) =>
      entry.alerts.map((alert) => {
        const [alertname, severity] = alert.split("/");
        return {
          labels: `{alertname="${alertname ?? ""}", resource_id="${id(index)}", severity="${severity ?? ""}"}`,
          value: 1,
        };
      }),
    );
    const counts = new Map<string, number>();
    for (const row of model.certificates) {
      const key = `{resource_id="${row.resourceId}", severity="${row.severity}"}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const document = {
      rule_files: [RULES_FILE],
      evaluation_interval: `${String(INTERVAL_HOURS)}h`,
      tests: [
        {
          name: "severity agreement",
          interval: `${String(INTERVAL_HOURS)}h`,
          input_series: inputSeries(metrics),
          promql_expr_test: [
            {
              // Firing (after `for:`) certificate alerts; exporter-health alerts have no resource.
              expr: 'group by (alertname, resource_id, severity) (ALERTS{alertstate="firing", resource_id!=""})',
              eval_time: evalTime,
              exp_samples: alerts,
            },
            {
              // The dashboard's count: one series per row of the status page.
              expr: "count by (resource_id, severity) (hwcert:certificate_severity)",
              eval_time: evalTime,
              exp_samples: [...counts].map(([labels, value]) => ({ labels, value })),
            },
          ],
        },
      ],
    };
    const directory = mkdtempSync(join(tmpdir(), "hwcert-severity-"));
    const file = join(directory, "agreement.test.yml");
    // JSON is YAML: no quoting of label values to get wrong.
    writeFileSync(file, JSON.stringify(document, null, 2));
    const result = run(tools.path("promtool"), ["test", "rules", file], directory);
    // Kept when it fails, to run again by hand.
    expect(result.status, `${file}:\n${result.output}`).toBe(0);
    expect(result.output).toContain("SUCCESS");
    rmSync(directory, { recursive: true, force: true });
  }, 300_000);
});
