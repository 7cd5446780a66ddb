// The demo, end to end, as a new user meets it: the demo scenario (what `npm run demo` and the
// compose demo serve) polled by the real daemon with the demo's settings, scraped by a real
// Prometheus that evaluates the SHIPPED rules (only their `for:` durations shortened), which
// sends to a real Alertmanager running the SHIPPED configuration (only its waits shortened and
// its webhooks pointed at this test). It checks:
// - which alerts reach which receiver, with what text: the expiring and expired certificates on
//   listeners and the revoked CCM certificate in use page; the intermediate expiring first and
//   the broken PEM (named) warn; the certificate only stored and the CCM certificates the demo's
//   operator marks stored get notices; the healthy ones raise nothing;
// - that every surface gives each certificate the same verdict, row by row and resource by
//   resource: the status page and its JSON, the `check` command (run against the same simulator
//   with the same settings), the recording hwcert:certificate_severity (which the Grafana
//   dashboard counts: grafana-panels.test.ts runs its queries) and the alerts Prometheus fires;
// - that a steady daemon is quiet: polls where nothing changes log one line each, no warnings.

import { createServer as createHttpServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import {
  DEMO_CCM_CERTIFICATES,
  demoEnvironment,
  seedDemoScenario,
  startSimulator,
  type DemoSeverity,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { startMonitoringStack, type MonitoringStack } from "../helpers/monitoring-stack.js";
import { waitFor } from "../helpers/services.js";
import {
  fetchStatusJson,
  type CheckJson,
  type StatusJson,
  type StatusJsonRow,
} from "../helpers/status-json.js";
import { requireBinaries } from "../deploy/tools.js";

const binaries = requireBinaries("demo end-to-end test (real Prometheus and Alertmanager)", [
  "prometheus",
  "prometheus-alertmanager",
]);

/** The alerts about a certificate's expiry or its CCM status (not the exporter's health). */
const CERTIFICATE_ALERTS = new Set([
  "HuaweiCloudCertificateExpiring",
  "HuaweiCloudELBCertificateExpiring",
  "HuaweiCloudCCMCertificateExpiring",
  "HuaweiCloudCCMCertificateRevoked",
  "HuaweiCloudCertificateStoredOnlyExpiring",
  "HuaweiCloudCCMCertificateStoredOnlyRevoked",
]);

/** The alert severity each verdict becomes; `ok` raises nothing (src/status/severity.ts). */
const ALERT_SEVERITY: Readonly<Record<DemoSeverity, string | undefined>> = {
  expired: "critical",
  critical: "critical",
  warning: "warning",
  notice: "info",
  ok: undefined,
};
const ALERT_RANK = ["info", "warning", "critical"];
const SEVERITY_RANK: readonly DemoSeverity[] = ["expired", "critical", "warning", "notice", "ok"];

/**
 * What each receiver of the shipped Alertmanager config gets for the demo, as
 * `alertname source/resource name`. Warnings of a certificate that also pages are inhibited, and
 * so are the expiry alerts of a CCM certificate CCM reports revoked or expired.
 */
const DELIVERED: Readonly<Record<string, readonly string[]>> = {
  critical: [
    "HuaweiCloudCCMCertificateRevoked ccm/leaked-key-example-com",
    "HuaweiCloudCertificateExpiring elb/api-example-com",
    "HuaweiCloudCertificateExpiring elb/legacy-example-com",
    "HuaweiCloudELBCertificateExpiring elb/api-example-com",
    "HuaweiCloudELBCertificateExpiring elb/legacy-example-com",
  ],
  warning: [
    "HuaweiCloudCertResourceProblem elb/broken-upload",
    "HuaweiCloudCertificateExpiring elb/cdn-example-com",
  ],
  notice: [
    // Reported expired by CCM: its expiry notice is inhibited, one notice says it.
    "HuaweiCloudCCMCertificateStoredOnlyRevoked ccm/legacy-ccm-example-com",
    "HuaweiCloudCertificateStoredOnlyExpiring ccm/old-campaign-example-com",
    "HuaweiCloudCertificateStoredOnlyExpiring elb/old-www-example-com",
  ],
};

/** Polls the log-volume check watches after the first one. */
const STEADY_POLLS = 5;

interface AlertRecord {
  readonly status: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}
interface Delivery {
  readonly receiver: string;
  readonly path: string;
  readonly alerts: readonly AlertRecord[];
}

/** One certificate row, the same on the page, in `check` and in hwcert:certificate_severity. */
const rowKey = (row: {
  source: string;
  resourceId: string;
  kind: string;
  serialNumber: string;
}): string => `${row.source}/${row.resourceId}/${row.kind}/${row.serialNumber}`;

describe.skipIf(binaries.skip)("the demo end to end: daemon → Prometheus → Alertmanager", () => {
  const started = Date.now();
  let stack: MonitoringStack;
  const cleanups: (() => Promise<void> | void)[] = [];
  const deliveries: Delivery[] = [];
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  let exporter: TestDaemon;
  /** `source/resource name` → the alert severity expected, for every resource the test judges. */
  let expected: Map<string, string | undefined>;
  /** `source/resource_id` → `source/resource name`. */
  let names: Map<string, string>;

  beforeAll(async () => {
    sim = await startSimulator();
    cleanups.push(() => sim.close());
    scenario = await seedDemoScenario(sim, Date.now());

    names = new Map([
      ...scenario.elb.map((c) => [`elb/${c.id}`, `elb/${c.spec.name}`] as const),
      ...scenario.geminidb.map((i) => [`geminidb/${i.id}`, `geminidb/${i.spec.name}`] as const),
      ...scenario.ccm.map((c) => [`ccm/${c.id}`, `ccm/${c.spec.name}`] as const),
    ]);
    expected = new Map([
      ...scenario.elb.map(
        (c) => [`elb/${c.spec.name}`, ALERT_SEVERITY[c.spec.expectedSeverity]] as const,
      ),
      // Every GeminiDB CA of the scenario is far from expiry.
      ...scenario.geminidb.map((i) => [`geminidb/${i.spec.name}`, undefined] as const),
      // Under the demo's settings: the revoked one in use pages, the marked ones are notices.
      ...DEMO_CCM_CERTIFICATES.map(
        (c) =>
          [
            `ccm/${c.name}`,
            c.expectedSeverity === undefined ? undefined : ALERT_SEVERITY[c.expectedSeverity],
          ] as const,
      ),
    ]);

    // Info level, as shipped, and a poll every 2 seconds: several polls where nothing changes.
    exporter = await startTestDaemon(sim, {
      ...demoEnvironment(sim),
      HWCERT_LOG_LEVEL: "info",
      HWCERT_POLL_SCHEDULE: "*/2 * * * * *",
    });
    cleanups.push(() => exporter.stop());
    await exporter.waitForPolls(1, 60_000);

    const webhook: Server = createHttpServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        const payload = JSON.parse(body) as { receiver: string; alerts: AlertRecord[] };
        deliveries.push({
          receiver: payload.receiver,
          path: request.url ?? "",
          alerts: payload.alerts,
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => webhook.close(() => resolve())));
    const address = webhook.address();
    if (address === null || typeof address === "string") throw new Error("no port");

    stack = await startMonitoringStack({
      exporters: [new URL(exporter.baseUrl).host],
      webhookOrigin: `http://127.0.0.1:${address.port}`,
      prometheusBinary: binaries.path("prometheus"),
      alertmanagerBinary: binaries.path("prometheus-alertmanager"),
    });
    cleanups.push(() => stack.stop());
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    console.log(`e2e demo: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
  });

  /** `source/resource name` of an alert; its id when the scenario has no such resource. */
  const resourceOf = (labels: Record<string, string>): string => {
    const key = `${labels["source"] ?? ""}/${labels["resource_id"] ?? ""}`;
    return names.get(key) ?? key;
  };

  /** The most urgent firing certificate alert per resource (`source/resource name`). */
  async function firingCertificateAlerts(): Promise<Map<string, string>> {
    const worst = new Map<string, string>();
    for (const alert of await stack.alerts()) {
      if (alert.state !== "firing" || !CERTIFICATE_ALERTS.has(alert.labels["alertname"] ?? "")) {
        continue;
      }
      const name = resourceOf(alert.labels);
      const severity = alert.labels["severity"] ?? "";
      if (ALERT_RANK.indexOf(severity) > ALERT_RANK.indexOf(worst.get(name) ?? "")) {
        worst.set(name, severity);
      }
    }
    return worst;
  }

  /** Every firing alert delivered to a webhook, as `alertname source/resource name`, by receiver. */
  function delivered(): Record<string, string[]> {
    const byReceiver: Record<string, Set<string>> = {};
    for (const delivery of deliveries) {
      for (const alert of delivery.alerts) {
        // With `for:` cut to 1 s, this one can fire for the moment before Prometheus's first
        // scrape (its own `for:` is 10 minutes); that it is quiet is checked in Prometheus.
        if (alert.labels["alertname"] === "HuaweiCloudCertExporterAbsent") continue;
        if (alert.status !== "firing") continue;
        (byReceiver[delivery.receiver] ??= new Set()).add(
          `${alert.labels["alertname"] ?? ""} ${resourceOf(alert.labels)}`,
        );
      }
    }
    return Object.fromEntries(
      Object.entries(byReceiver).map(([receiver, alerts]) => [receiver, [...alerts].sort()]),
    );
  }

  /** Resolves once every rule group has been evaluated at least `count` more times. */
  async function moreEvaluations(count: number): Promise<void> {
    const after = Date.now() + count * 1_000;
    await waitFor(
      `${count} more rule evaluations`,
      async () => {
        const response = await fetch(`${stack.prometheusUrl}/api/v1/rules`);
        const body = (await response.json()) as {
          data: { groups: { lastEvaluation: string }[] };
        };
        return body.data.groups.every((group) => Date.parse(group.lastEvaluation) > after)
          ? true
          : undefined;
      },
      stack.services,
    );
  }

  /**
   * Waits until Alertmanager holds every alert Prometheus fires and has delivered each one it
   * does not inhibit; returns what Prometheus fires.
   */
  async function settled(): Promise<{ labels: Record<string, string> }[]> {
    return waitFor(
      "Alertmanager to deliver every alert Prometheus fires",
      async () => {
        const firing = (await stack.alerts()).filter((alert) => alert.state === "firing");
        const response = await fetch(`${stack.alertmanagerUrl ?? ""}/api/v2/alerts`);
        const held = (await response.json()) as {
          labels: Record<string, string>;
          status: { state: string };
        }[];
        const id = (labels: Record<string, string>): string =>
          JSON.stringify(Object.entries(labels).sort());
        const heldIds = new Set(held.map((alert) => id(alert.labels)));
        if (!firing.every((alert) => heldIds.has(id(alert.labels)))) return undefined;
        const sent = new Set(
          deliveries.flatMap((delivery) => delivery.alerts.map((alert) => id(alert.labels))),
        );
        const active = held.filter((alert) => alert.status.state === "active");
        return active.every((alert) => sent.has(id(alert.labels))) ? firing : undefined;
      },
      stack.services,
    );
  }

  const pageJson = (): Promise<StatusJson> => fetchStatusJson(exporter.baseUrl);

  /** `check -o json` with the demo's settings against the same simulator, in this process. */
  async function checkJson(): Promise<{ exitCode: number; report: CheckJson; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const exitCode = await run(
      ["check", "-o", "json"],
      demoEnvironment(sim),
      { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
      process,
      { envFile: null },
    );
    return { exitCode, report: JSON.parse(stdout) as CheckJson, stderr };
  }

  it("delivers each alert to its receiver: pages, warnings, notices, nothing for the healthy ones", async () => {
    await waitFor(
      "every expected alert at its receiver",
      () => {
        const now = delivered();
        return Promise.resolve(
          Object.entries(DELIVERED).every(([receiver, alerts]) =>
            alerts.every((alert) => now[receiver]?.includes(alert)),
          )
            ? now
            : undefined,
        );
      },
      stack.services,
      90_000,
    );
    // A few more evaluations, for anything that should not fire to show up and be delivered.
    await moreEvaluations(3);
    await settled();
    expect(delivered()).toEqual(DELIVERED);
    expect(new Set(deliveries.map((delivery) => `${delivery.receiver} ${delivery.path}`))).toEqual(
      new Set(Object.keys(DELIVERED).map((receiver) => `${receiver} /${receiver}`)),
    );
  }, 150_000);

  it("names resource, id, project and region in every summary; no empty or missing values", () => {
    const alerts = deliveries
      .flatMap((delivery) => delivery.alerts)
      .filter((alert) => alert.labels["alertname"] !== "HuaweiCloudCertExporterAbsent");
    expect(alerts.length).toBeGreaterThan(0);
    console.log(
      [
        ...new Set(
          deliveries.flatMap((delivery) =>
            delivery.alerts.map(
              (alert) =>
                `${delivery.receiver}: ${alert.labels["alertname"] ?? ""} ` +
                `${alert.labels["severity"] ?? ""}: ${alert.annotations["summary"] ?? ""}`,
            ),
          ),
        ),
      ]
        .sort()
        .join("\n"),
    );
    for (const alert of alerts) {
      const where = `${alert.labels["alertname"] ?? ""} ${resourceOf(alert.labels)}`;
      const summary = alert.annotations["summary"] ?? "";
      const name = resourceOf(alert.labels).replace(/^[a-z]+\//, "");
      const id = alert.labels["resource_id"] ?? "";
      expect(summary, where).toContain(`${name} (${id})`);
      expect(summary, where).toContain(`in project ${sim.projectId}, region ${sim.region}`);
      for (const text of Object.values(alert.annotations)) {
        expect(text, where).not.toMatch(/undefined|<no value>|\(\s*\)|\s\s/);
      }
      const alertname = alert.labels["alertname"] ?? "";
      if (/Expiring$/.test(alertname)) {
        expect(summary, where).toMatch(/ (expires in \d+d|has expired)/);
      }
    }
    const summaries = (alertname: string, resource: string): string[] =>
      alerts
        .filter(
          (alert) =>
            alert.labels["alertname"] === alertname && resourceOf(alert.labels) === resource,
        )
        .map((alert) => alert.annotations["summary"] ?? "");
    const broken = scenario.elb.find((c) => c.spec.name === "broken-upload");
    expect(summaries("HuaweiCloudCertResourceProblem", "elb/broken-upload")).toEqual([
      `ELB certificate broken-upload (${broken?.id ?? ""}) in project ${sim.projectId}, ` +
        `region ${sim.region}, cannot be read: bad_pem.`,
    ]);
    expect(summaries("HuaweiCloudCCMCertificateRevoked", "ccm/leaked-key-example-com")).toEqual([
      `CCM certificate leaked-key-example-com (scs1700000000005) in project ${sim.projectId}, ` +
        `region ${sim.region}, is revoked but still in use.`,
    ]);
    expect(summaries("HuaweiCloudELBCertificateExpiring", "elb/legacy-example-com")).toEqual([
      expect.stringMatching(/^ELB server certificate legacy-example-com \(.+\) .* has expired\.$/),
    ]);
    expect(summaries("HuaweiCloudELBCertificateExpiring", "elb/api-example-com")).toEqual([
      expect.stringMatching(/^ELB server certificate api-example-com \(.+\) .* expires in 4d 23h/),
    ]);
    expect(
      summaries("HuaweiCloudCertificateStoredOnlyExpiring", "elb/old-www-example-com"),
    ).toEqual([expect.stringMatching(/ is only stored and expires in 9d 23h/)]);
  });

  it("fires in Prometheus exactly what each certificate's spec expects", async () => {
    const raised = await firingCertificateAlerts();
    const wanted = [...expected].flatMap(([name, severity]) =>
      severity === undefined ? [] : [[name, severity] as const],
    );
    expect(Object.fromEntries([...raised].sort())).toEqual(Object.fromEntries(wanted.sort()));
    // The exporter's health alerts stay quiet; the broken PEM is named by its own alert only.
    const others = (await stack.alerts())
      .filter((alert) => !CERTIFICATE_ALERTS.has(alert.labels["alertname"] ?? ""))
      .map((alert) => `${alert.labels["alertname"] ?? ""} ${resourceOf(alert.labels)}`);
    expect(others).toEqual(["HuaweiCloudCertResourceProblem elb/broken-upload"]);
  });

  it("gives every certificate the same verdict on the page, in check, in the recording and in the alerts", async () => {
    const page = await pageJson();
    const check = await checkJson();
    const table: Record<string, string>[] = [];

    // The page itself: its rows (by resource) carry the JSON's severities.
    const html = await (await fetch(exporter.baseUrl)).text();
    const pageRows = (rows: [id: string, severity: string][]): Record<string, string[]> => {
      const byResource: Record<string, string[]> = {};
      for (const [id, severity] of rows) (byResource[id] ??= []).push(severity);
      return Object.fromEntries(
        Object.entries(byResource).map(([id, severities]) => [id, severities.sort()]),
      );
    };
    expect(
      pageRows(
        [
          ...html.matchAll(
            /<tr [^>]*data-severity="(\w+)".*?<span class="sub id" title="([^"]+)"/g,
          ),
        ].map((match) => [match[2] ?? "", match[1] ?? ""]),
      ),
    ).toEqual(pageRows(page.certificates.map((row) => [row.resourceId, row.severity])));

    // check: the same rows with the same severity and usage; exit 2, only the broken PEM unread.
    const checkRows = new Map(check.report.certificates.map((row) => [rowKey(row), row]));
    expect(checkRows.size).toBe(check.report.certificates.length);
    expect(new Set(checkRows.keys())).toEqual(new Set(page.certificates.map(rowKey)));
    for (const row of page.certificates) {
      const other = checkRows.get(rowKey(row));
      expect({ severity: other?.severity, usage: other?.usage }, rowKey(row)).toEqual({
        severity: row.severity,
        usage: row.usage,
      });
    }
    expect(check.exitCode, check.stderr).toBe(2);
    expect(check.report.check.exitCode).toBe(2);
    const broken = scenario.elb.find((c) => c.spec.name === "broken-upload");
    expect(check.report.problems).toEqual([
      expect.objectContaining({
        source: "elb",
        region: sim.region,
        projectId: sim.projectId,
        resource: expect.objectContaining({ id: broken?.id, name: "broken-upload" }) as unknown,
        reason: "bad_pem",
      }),
    ]);
    expect(page.problems).toEqual(check.report.problems);
    // One alert per unreadable resource, as the page counts them.
    const problemAlerts = (await stack.alerts()).filter(
      (alert) =>
        alert.state === "firing" && alert.labels["alertname"] === "HuaweiCloudCertResourceProblem",
    );
    expect(problemAlerts.map((alert) => alert.labels["resource_id"])).toEqual(
      page.problems.map((problem) => problem.resource?.id),
    );
    expect(page.summary["resourceProblems"]).toBe(problemAlerts.length);

    // The recording: one series per page row, with the row's severity; the same counts.
    const recorded = await stack.query("hwcert:certificate_severity");
    const recordedRows = new Map<string, string>();
    for (const { metric } of recorded) {
      const key = rowKey({
        source: metric["source"] ?? "",
        resourceId: metric["resource_id"] ?? "",
        kind: metric["kind"] ?? "",
        serialNumber: metric["serial_number"] ?? "",
      });
      expect(recordedRows.has(key), `${key} recorded twice`).toBe(false);
      recordedRows.set(key, metric["severity"] ?? "");
    }
    expect(Object.fromEntries([...recordedRows].sort())).toEqual(
      Object.fromEntries(
        page.certificates.map((row) => [rowKey(row), row.severity] as const).sort(),
      ),
    );
    const counted = Object.fromEntries(
      (await stack.query("count by (severity) (hwcert:certificate_severity)")).map(
        ({ metric, value }) => [metric["severity"] ?? "", value] as const,
      ),
    );
    for (const severity of SEVERITY_RANK) {
      expect(counted[severity] ?? 0, severity).toBe(page.summary[severity]);
    }

    // The alerts: each resource's most urgent row decides the most urgent alert it raises.
    const mostUrgent = new Map<string, StatusJsonRow>();
    for (const row of page.certificates) {
      const resource = resourceOf({ source: row.source, resource_id: row.resourceId });
      const worst = mostUrgent.get(resource);
      if (
        worst === undefined ||
        SEVERITY_RANK.indexOf(row.severity) < SEVERITY_RANK.indexOf(worst.severity)
      ) {
        mostUrgent.set(resource, row);
      }
    }
    const raised = await firingCertificateAlerts();
    for (const [resource, row] of [...mostUrgent].sort()) {
      const alert = raised.get(resource);
      table.push({
        resource,
        rows: String(
          page.certificates.filter(
            (r) => resourceOf({ source: r.source, resource_id: r.resourceId }) === resource,
          ).length,
        ),
        page: row.severity,
        check: checkRows.get(rowKey(row))?.severity ?? "-",
        recorded: recordedRows.get(rowKey(row)) ?? "-",
        usage: row.usage,
        alert: alert ?? "none",
      });
      expect(alert, resource).toBe(ALERT_SEVERITY[row.severity]);
    }
    // Every resource that raises a certificate alert has a row.
    expect([...raised.keys()].filter((resource) => !mostUrgent.has(resource))).toEqual([]);
    console.table(table);
  }, 60_000);

  it("logs one line per poll when nothing changes, and no warning after the first poll", async () => {
    const logs = exporter.logs;
    await waitFor(
      `${STEADY_POLLS} polls after the first`,
      () =>
        Promise.resolve(
          logs.withMessage("poll finished").length >= STEADY_POLLS + 1 ? true : undefined,
        ),
      stack.services,
      90_000,
    );
    const entries = logs.entries();
    const line = (entry: Record<string, unknown>): string =>
      `${String(entry["level"])} ${String(entry["msg"])}`;
    const finished = entries.flatMap((entry, index) =>
      entry["msg"] === "poll finished" ? [index] : [],
    );
    const first = finished[0] ?? 0;
    const steady = entries.slice(first + 1, (finished[STEADY_POLLS] ?? 0) + 1);
    console.log(
      `log lines: ${first + 1} up to the first poll finished, ${steady.length} in the next ` +
        `${STEADY_POLLS} polls; poll durations (s): ` +
        finished.map((index) => String(entries[index]?.["durationSeconds"])).join(", "),
      entries.slice(0, first + 1).map(line),
    );
    // Start-up: the address, the broken PEM once (named), the first poll's summary.
    expect(entries.slice(0, first + 1).map(line)).toEqual([
      "info exporter listening",
      "warn resource problem",
      "info poll finished",
    ]);
    expect(entries[1]).toMatchObject({ resourceName: "broken-upload", reason: "bad_pem" });
    // Steady: the one summary line per poll, nothing else (the unchanged problem is at debug).
    expect(steady.map(line)).toEqual(Array<string>(STEADY_POLLS).fill("info poll finished"));
  }, 120_000);
});
