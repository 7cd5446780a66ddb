// The demo pages: the demo scenario (what `npm run demo` and the compose demo serve) polled by
// the real daemon, scraped by a real Prometheus that evaluates the SHIPPED rules (only their
// `for:` durations shortened). Each ELB certificate raises exactly what its spec expects: bound
// to a listener, the expiring and expired ones page and the intermediate expiring first warns;
// the certificate only stored gets an info notice; healthy, CA and CCM-managed ones stay quiet.
// The revoked CCM certificate, used by an ELB certificate, pages; the CCM certificates the demo's
// operator marks stored (HWCERT_STORED_CERTIFICATES) only get notices.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { sleep, waitFor } from "../helpers/services.js";
import { requireBinaries } from "../deploy/tools.js";

const binaries = requireBinaries("demo alerting test (real Prometheus)", ["prometheus"]);

/** The alerts about a certificate's expiry or its CCM status (not the exporter's health). */
const CERTIFICATE_ALERTS = new Set([
  "HuaweiCloudCertificateExpiring",
  "HuaweiCloudELBCertificateExpiring",
  "HuaweiCloudCCMCertificateExpiring",
  "HuaweiCloudCCMCertificateRevoked",
  "HuaweiCloudCertificateStoredOnlyExpiring",
]);

/** The alert severity each verdict becomes; `ok` raises nothing. */
const ALERT_SEVERITY: Readonly<Record<DemoSeverity, string | undefined>> = {
  expired: "critical",
  critical: "critical",
  warning: "warning",
  notice: "info",
  ok: undefined,
};
const RANK = ["info", "warning", "critical"];

describe.skipIf(binaries.skip)("the demo scenario through the shipped rules", () => {
  let stack: MonitoringStack;
  const cleanups: (() => Promise<void> | void)[] = [];
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  let exporter: TestDaemon;
  /** `source name` → the alert severity expected, for every resource the test judges. */
  let expected: Map<string, string | undefined>;
  /** resource_id → `source name`. */
  let names: Map<string, string>;

  beforeAll(async () => {
    sim = await startSimulator();
    cleanups.push(() => sim.close());
    scenario = await seedDemoScenario(sim, Date.now());

    names = new Map([
      ...scenario.elb.map((c) => [c.id, `elb ${c.spec.name}`] as const),
      ...scenario.geminidb.map((i) => [i.id, `geminidb ${i.spec.name}`] as const),
      ...scenario.ccm.map((c) => [c.id, `ccm ${c.spec.name}`] as const),
    ]);
    expected = new Map([
      ...scenario.elb.map(
        (c) => [`elb ${c.spec.name}`, ALERT_SEVERITY[c.spec.expectedSeverity]] as const,
      ),
      // Every GeminiDB CA of the scenario is far from expiry.
      ...scenario.geminidb.map((i) => [`geminidb ${i.spec.name}`, undefined] as const),
      // Under the demo's settings: the revoked one in use pages, the marked ones are notices.
      ...DEMO_CCM_CERTIFICATES.map(
        (c) =>
          [
            `ccm ${c.name}`,
            c.expectedSeverity === undefined ? undefined : ALERT_SEVERITY[c.expectedSeverity],
          ] as const,
      ),
    ]);

    exporter = await startTestDaemon(sim, { ...demoEnvironment(sim), HWCERT_LOG_LEVEL: "warn" });
    cleanups.push(() => exporter.stop());
    await exporter.waitForPolls(1);

    stack = await startMonitoringStack({
      exporters: [new URL(exporter.baseUrl).host],
      prometheusBinary: binaries.path("prometheus"),
    });
    cleanups.push(() => stack.stop());
  }, 60_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The most urgent firing certificate alert per judged resource (`source name`). */
  async function firing(): Promise<Map<string, string>> {
    const worst = new Map<string, string>();
    for (const alert of await stack.alerts()) {
      if (alert.state !== "firing" || !CERTIFICATE_ALERTS.has(alert.labels["alertname"] ?? "")) {
        continue;
      }
      const name = names.get(alert.labels["resource_id"] ?? "");
      if (name === undefined || !expected.has(name)) continue;
      const severity = alert.labels["severity"] ?? "";
      if (RANK.indexOf(severity) > RANK.indexOf(worst.get(name) ?? "")) worst.set(name, severity);
    }
    return worst;
  }

  const wanted = (): [string, string][] =>
    [...expected].flatMap(([name, severity]) => (severity === undefined ? [] : [[name, severity]]));

  it("pages for the expiring and expired certificates on listeners and the revoked one in use", async () => {
    const raised = await waitFor(
      "every expected alert firing",
      async () => {
        const worst = await firing();
        return wanted().every(([name, severity]) => worst.get(name) === severity)
          ? worst
          : undefined;
      },
      stack.services,
    );
    expect(raised.get("elb api-example-com")).toBe("critical");
    expect(raised.get("elb legacy-example-com")).toBe("critical");
    expect(raised.get("ccm leaked-key-example-com")).toBe("critical");
    expect([...raised.values()]).toContain("warning");
    expect([...raised.values()]).toContain("info");
  }, 45_000);

  it("raises exactly what each certificate's spec expects, nothing for the healthy ones", async () => {
    // A few more evaluations, for anything that should not fire to show up.
    await sleep(3_000);
    const raised = await firing();
    expect(Object.fromEntries([...raised].sort())).toEqual(Object.fromEntries(wanted().sort()));
  }, 15_000);
});
