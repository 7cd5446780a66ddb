// End to end, as production runs it: the simulator holds a certificate that expires in 3 days and
// is bound to an HTTPS listener, and another that expires as soon but is bound to none; the real
// daemon polls them, a real Prometheus scrapes the daemon and evaluates the SHIPPED rule file
// (only its `for:` durations shortened), a real Alertmanager runs the SHIPPED configuration (only
// its waits shortened and its webhook hosts pointed here) and delivers to a webhook receiver in
// this test, which checks the alerts' labels and annotations, the grouping by certificate, the
// routing by severity, the inhibition of the warning, and that the unbound certificate only gets
// the low-urgency notice. Everything listens on 127.0.0.1; the whole run takes seconds.

import { createServer as createHttpServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateChain, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { startMonitoringStack, type MonitoringStack } from "../helpers/monitoring-stack.js";
import { sleep, waitFor } from "../helpers/services.js";
import { readRuleGroups, requireBinaries, ruleName } from "../deploy/tools.js";

const DAY_MS = 86_400_000;
const binaries = requireBinaries("end-to-end alerting test (real Prometheus and Alertmanager)", [
  "prometheus",
  "prometheus-alertmanager",
]);

interface WebhookAlert {
  readonly status: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}
interface WebhookPayload {
  readonly receiver: string;
  readonly status: string;
  readonly groupLabels: Record<string, string>;
  readonly alerts: WebhookAlert[];
}
interface Delivery {
  readonly path: string;
  readonly payload: WebhookPayload;
}

describe.skipIf(binaries.skip)("alerting end to end: the real binaries", () => {
  it("finds prometheus and prometheus-alertmanager on PATH (CI installs them; never skipped there)", () => {
    expect(binaries.path("prometheus")).toMatch(/prometheus$/);
    expect(binaries.path("prometheus-alertmanager")).toMatch(/alertmanager$/);
  });
});

describe.skipIf(binaries.skip)(
  "alerting end to end: simulator → daemon → Prometheus → Alertmanager → webhook",
  () => {
    const started = Date.now();
    let services: MonitoringStack["services"] = [];
    let stack: MonitoringStack;
    const deliveries: Delivery[] = [];
    /** Undo steps of beforeAll, run in reverse by afterAll (whatever beforeAll reached). */
    const cleanups: (() => Promise<void> | void)[] = [];
    let sim: Simulator;
    let exporter: TestDaemon;
    let webhook: Server;
    let prometheusUrl: string;
    let expiringId: string;
    let healthyId: string;
    let storedId: string;
    let leafSerial: string;

    beforeAll(async () => {
      sim = await startSimulator();
      cleanups.push(() => sim.close());
      const now = Date.now();
      const expiring = await generateChain({
        commonName: "checkout.example.com",
        notBefore: new Date(now - 87 * DAY_MS),
        notAfter: new Date(now + 3 * DAY_MS),
      });
      leafSerial = expiring.leaf.serialNumber;
      expiringId = sim.elb.add({ name: "checkout-90d", certificate: expiring.certificatePem });
      sim.elb.addListener({ name: "checkout-https", defaultTlsContainerRef: expiringId });
      // The same dates, but bound to no listener: only the info notice, never a page.
      const stored = await generateChain({
        commonName: "spare.example.com",
        notBefore: new Date(now - 87 * DAY_MS),
        notAfter: new Date(now + 3 * DAY_MS),
      });
      storedId = sim.elb.add({ name: "spare-90d", certificate: stored.certificatePem });
      // A healthy 90-day certificate with 40 days left: must not alert.
      const healthy = await generateChain({
        commonName: "www.example.com",
        notBefore: new Date(now - 50 * DAY_MS),
        notAfter: new Date(now + 40 * DAY_MS),
      });
      healthyId = sim.elb.add({ name: "www-90d", certificate: healthy.certificatePem });

      exporter = await startTestDaemon(sim, {
        HWCERT_POLL_SCHEDULE: "*/2 * * * * *",
        HWCERT_LOG_LEVEL: "warn",
      });
      cleanups.push(() => exporter.stop());
      await exporter.waitForPolls(1);

      webhook = createHttpServer((request, response) => {
        let body = "";
        request.setEncoding("utf8");
        request.on("data", (chunk: string) => (body += chunk));
        request.on("end", () => {
          deliveries.push({
            path: request.url ?? "",
            payload: JSON.parse(body) as WebhookPayload,
          });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
      cleanups.push(() => new Promise<void>((resolve) => webhook.close(() => resolve())));
      const webhookAddress = webhook.address();
      if (webhookAddress === null || typeof webhookAddress === "string") throw new Error("no port");
      const webhookOrigin = `http://127.0.0.1:${webhookAddress.port}`;

      stack = await startMonitoringStack({
        exporters: [new URL(exporter.baseUrl).host],
        webhookOrigin,
        prometheusBinary: binaries.path("prometheus"),
        alertmanagerBinary: binaries.path("prometheus-alertmanager"),
      });
      cleanups.push(() => stack.stop());
      services = stack.services;
      prometheusUrl = stack.prometheusUrl;
    }, 300_000);

    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      console.log(`e2e alerting: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
    });

    it("loads every shipped rule into the real Prometheus", async () => {
      const response = await fetch(`${prometheusUrl}/api/v1/rules`);
      const body = (await response.json()) as {
        data: { groups: { name: string; rules: { name: string; query: string }[] }[] };
      };
      const loaded = body.data.groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.name}`));
      const shipped = readRuleGroups().flatMap((g) =>
        g.rules.map((r) => `${g.name}/${ruleName(r)}`),
      );
      expect(loaded).toEqual(shipped);
    });

    it("delivers the critical alert of the 3-day certificate to the critical receiver", async () => {
      // Both the ELB expire_time alert and the X.509 leaf alert, grouped as one certificate.
      const critical = await waitFor(
        "both critical alerts at the webhook",
        () => {
          const alerts = deliveries
            .filter((d) => d.path === "/critical")
            .flatMap((d) => d.payload.alerts)
            .filter((a) => a.status === "firing" && a.labels["resource_id"] === expiringId);
          const names = new Set(alerts.map((a) => a.labels["alertname"]));
          return Promise.resolve(names.size === 2 ? alerts : undefined);
        },
        services,
      );

      const elb = critical.find(
        (a) => a.labels["alertname"] === "HuaweiCloudELBCertificateExpiring",
      );
      expect(elb?.labels).toMatchObject({
        severity: "critical",
        source: "elb",
        region: sim.region,
        project_id: sim.projectId,
        certificate_id: expiringId,
        certificate_name: "checkout-90d",
        certificate_type: "server",
        resource_id: expiringId,
        job: "huaweicloud-cert-exporter",
      });
      expect(elb?.labels["instance"]).toBeUndefined();
      expect(elb?.annotations["summary"]).toMatch(
        new RegExp(
          `^ELB server certificate checkout-90d \\(${expiringId}\\) in project ${sim.projectId}, ` +
            `region ${sim.region}, expires in 2d 23h \\d+m \\d+s\\.$`,
        ),
      );
      expect(elb?.annotations["description"]).toContain(
        `hwcert_elb_certificate_expire_timestamp_seconds{certificate_id="${expiringId}"}`,
      );
      expect(elb?.annotations["description"]).toMatch(/Upload a renewed certificate now/);

      const x509 = critical.find(
        (a) =>
          a.labels["alertname"] === "HuaweiCloudCertificateExpiring" &&
          a.labels["chain_position"] === "leaf",
      );
      expect(x509?.labels).toMatchObject({
        severity: "critical",
        source: "elb",
        region: sim.region,
        project_id: sim.projectId,
        resource_id: expiringId,
        resource_name: "checkout-90d",
        chain_position: "leaf",
        subject_cn: "checkout.example.com",
        serial_number: leafSerial,
      });
      expect(x509?.annotations["summary"]).toMatch(
        new RegExp(
          `^Leaf certificate checkout\\.example\\.com of ELB certificate checkout-90d ` +
            `\\(${expiringId}\\) in project ${sim.projectId}, region ${sim.region}, expires in 2d 23h`,
        ),
      );
      expect(x509?.annotations["description"]).toContain(
        "hwcert_certificate_not_after_timestamp_seconds",
      );

      // Grouped by certificate: every notification about it names the certificate's group.
      for (const delivery of deliveries.filter((d) => d.path === "/critical")) {
        expect(delivery.payload.receiver).toBe("critical");
        expect(delivery.payload.groupLabels).toEqual({
          region: sim.region,
          project_id: sim.projectId,
          source: "elb",
          resource_id: expiringId,
        });
      }
    }, 300_000);

    it("inhibits the warnings of that certificate and never alerts on the healthy one", async () => {
      // The warnings fire in Prometheus too; give Alertmanager several group intervals to (not)
      // send them.
      const firing = await waitFor(
        "the warning alerts in Prometheus",
        async () => {
          const response = await fetch(`${prometheusUrl}/api/v1/alerts`);
          const body = (await response.json()) as {
            data: { alerts: { state: string; labels: Record<string, string> }[] };
          };
          const warnings = body.data.alerts.filter(
            (a) =>
              a.state === "firing" &&
              a.labels["severity"] === "warning" &&
              a.labels["resource_id"] === expiringId,
          );
          return warnings.length === 2 ? body.data.alerts : undefined;
        },
        services,
      );
      expect(firing.some((a) => a.labels["resource_id"] === healthyId)).toBe(false);
      await sleep(3_000);
      const delivered = deliveries.flatMap((d) =>
        d.payload.alerts.map((a) => ({ path: d.path, a })),
      );
      expect(
        delivered.filter(
          ({ a }) => a.labels["resource_id"] === expiringId && a.labels["severity"] === "warning",
        ),
      ).toEqual([]);
      expect(delivered.filter(({ a }) => a.labels["resource_id"] === healthyId)).toEqual([]);
    }, 300_000);

    it("sends the unbound certificate one info notice to the low-urgency receiver, never a page", async () => {
      const notices = await waitFor(
        "the info notice at the webhook",
        () => {
          const alerts = deliveries
            .filter((d) => d.path === "/notice")
            .flatMap((d) => d.payload.alerts)
            .filter((a) => a.status === "firing" && a.labels["resource_id"] === storedId);
          return Promise.resolve(alerts.length > 0 ? alerts : undefined);
        },
        services,
      );
      expect(new Set(notices.map((a) => a.labels["alertname"]))).toEqual(
        new Set(["HuaweiCloudCertificateStoredOnlyExpiring"]),
      );
      expect(notices[0]?.labels).toEqual({
        alertname: "HuaweiCloudCertificateStoredOnlyExpiring",
        severity: "info",
        source: "elb",
        region: sim.region,
        project_id: sim.projectId,
        resource_id: storedId,
        resource_name: "spare-90d",
        job: "huaweicloud-cert-exporter",
      });
      expect(notices[0]?.annotations["summary"]).toMatch(
        new RegExp(
          `^ELB certificate spare-90d \\(${storedId}\\) in project ${sim.projectId}, ` +
            `region ${sim.region}, is only stored and expires in 2d 23h \\d+m \\d+s\\.$`,
        ),
      );
      expect(notices[0]?.annotations["description"]).toContain(
        `hwcert_resource_in_use{source="elb", resource_id="${storedId}"} (0: stored only)`,
      );

      // Prometheus raises nothing else about it, so nothing else can ever be delivered.
      const response = await fetch(`${prometheusUrl}/api/v1/alerts`);
      const body = (await response.json()) as {
        data: { alerts: { labels: Record<string, string> }[] };
      };
      const raised = body.data.alerts.filter((a) => a.labels["resource_id"] === storedId);
      expect(raised.map((a) => a.labels["severity"])).toEqual(["info"]);
      expect(
        deliveries.filter(
          (d) =>
            d.path !== "/notice" &&
            d.payload.alerts.some((a) => a.labels["resource_id"] === storedId),
        ),
      ).toEqual([]);
    }, 300_000);
  },
);
