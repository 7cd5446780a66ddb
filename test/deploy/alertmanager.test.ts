// The Alertmanager example: amtool accepts it, routes each severity to its receiver (info notices
// never to a pager), shows a route by team, groups by certificate and inhibits a certificate's
// warning while its critical alert fires (the e2e test sees the routing and the inhibition happen
// in a real Alertmanager), and repeats nothing less often than Alertmanager remembers what it sent:
// a real Alertmanager starts with it and logs no warning.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  freePort,
  isReady,
  parseLogfmt,
  startService,
  stopService,
  waitFor,
} from "../helpers/services.js";
import {
  ALERTMANAGER_FILE,
  isAlert,
  readRuleGroups,
  readYaml,
  requireBinaries,
  run,
} from "./tools.js";

interface Route {
  receiver?: string;
  group_by?: string[];
  matchers?: string[];
  repeat_interval?: string;
  routes?: Route[];
}
interface AlertmanagerConfig {
  route: Route;
  receivers: { name: string }[];
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
}

const config = readYaml(ALERTMANAGER_FILE) as AlertmanagerConfig;

describe("Alertmanager example: structure", () => {
  it("groups by certificate: the labels the rules give every certificate alert", () => {
    expect(config.route.group_by).toEqual(["region", "project_id", "source", "resource_id"]);
    // Every certificate and link alert carries them: the recorded series the expiry alerts read
    // all have source and resource_id (tested in rules.test.ts and by promtool); the link and
    // CCM status alerts set source and copy their id into resource_id.
    const grouped = readRuleGroups()
      .flatMap((group) => group.rules)
      .filter(isAlert)
      .filter((rule) => rule.alert.includes("Certificate") || rule.alert.includes("CALink"));
    expect(grouped).toHaveLength(10);
    for (const rule of grouped) {
      const recorded = /^\s*\(\s*\(?\s*(min by \([^)]*\) \(\s*)?hwcert:/.test(rule.expr);
      const copied =
        rule.labels["source"] !== undefined && rule.expr.includes('"resource_id", "$1"');
      expect(recorded || copied, rule.alert).toBe(true);
    }
  });

  it("has a route and a receiver for every severity the rules use", () => {
    const severities = new Set(
      readRuleGroups().flatMap((group) =>
        group.rules.filter(isAlert).map((rule) => rule.labels["severity"]),
      ),
    );
    const receivers = new Set(config.receivers.map((receiver) => receiver.name));
    for (const severity of severities) {
      const route = config.route.routes?.find((r) =>
        r.matchers?.includes(`severity="${severity ?? ""}"`),
      );
      expect(route?.receiver, `route for ${severity ?? "?"}`).toBeDefined();
      expect(receivers).toContain(route?.receiver);
    }
  });

  it("inhibits a warning while the critical alert of the same certificate fires", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ["alertname", "region", "project_id", "source", "resource_id", "serial_number"],
    });
  });

  it("mutes a CCM certificate's expiry alerts while it is reported revoked or expired", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="HuaweiCloudCCMCertificateRevoked"'],
      target_matchers: ['alertname="HuaweiCloudCCMCertificateExpiring"'],
      equal: ["region", "project_id", "source", "resource_id"],
    });
    // Only stored: one notice (revoked or expired), not a second one saying it has expired.
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="HuaweiCloudCCMCertificateStoredOnlyRevoked"'],
      target_matchers: ['alertname="HuaweiCloudCertificateStoredOnlyExpiring"'],
      equal: ["region", "project_id", "source", "resource_id"],
    });
  });

  it("routes info notices before any team route, so no team route pages them", () => {
    const routes = config.route.routes ?? [];
    const info = routes.findIndex((route) => route.matchers?.includes('severity="info"'));
    const team = routes.findIndex((route) =>
      route.matchers?.some((m) => m.startsWith("tag_team=")),
    );
    expect(info).toBeGreaterThanOrEqual(0);
    expect(team).toBeGreaterThan(info);
  });
});

/** Alertmanager's default --data.retention: how long it remembers the notifications it sent. */
const DEFAULT_RETENTION_SECONDS = 120 * 3600;

const DURATION_UNITS: Readonly<Record<string, number>> = {
  y: 365 * 86400,
  w: 7 * 86400,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/** A Prometheus duration (`4h`, `96h`, `1h30m`, `7d`) in seconds. */
function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
  if (parts.map((part) => part[0]).join("") !== text || parts.length === 0) {
    throw new Error(`not a Prometheus duration: ${text}`);
  }
  return parts.reduce(
    (sum, [, count, unit]) => sum + Number(count) * DURATION_UNITS[unit ?? ""]!,
    0,
  );
}

/** Every route (`route`, `route/{matchers}`, ...) with the repeat_interval it runs with. */
function repeatIntervals(route: Route, inherited: string, name = "route"): [string, string][] {
  // A sub-route inherits its parent's interval.
  const own = route.repeat_interval ?? inherited;
  return [
    [name, own],
    ...(route.routes ?? []).flatMap((child) =>
      repeatIntervals(child, own, `${name}/{${(child.matchers ?? []).join(",")}}`),
    ),
  ];
}

describe("Alertmanager example: repeat intervals", () => {
  it.each([
    ["4h", 4 * 3600],
    ["96h", 96 * 3600],
    ["1h30m", 5400],
    ["7d", 7 * 86400],
  ])("reads the duration %s", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it("repeats every route within the default 120h retention", () => {
    // Alertmanager's own default repeat_interval is 4h.
    const routes = repeatIntervals(config.route, "4h");
    expect(routes.length).toBeGreaterThan(1);
    for (const [route, interval] of routes) {
      expect(durationSeconds(interval), `${route}: ${interval}`).toBeLessThanOrEqual(
        DEFAULT_RETENTION_SECONDS,
      );
    }
  });

  it("repeats info notices less often than warnings, warnings less often than pages", () => {
    const routes = new Map(repeatIntervals(config.route, "4h"));
    const seconds = (route: string): number => durationSeconds(routes.get(route) ?? "");
    expect(seconds('route/{severity="info"}')).toBeGreaterThan(
      seconds('route/{severity="warning"}'),
    );
    expect(seconds('route/{severity="warning"}')).toBeGreaterThan(
      seconds('route/{severity="critical"}'),
    );
  });
});

const tools = requireBinaries("Alertmanager config checks", ["amtool"]);

describe.skipIf(tools.skip)("Alertmanager example: amtool", () => {
  it("amtool check-config accepts it", () => {
    const result = run(tools.path("amtool"), ["check-config", ALERTMANAGER_FILE]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it.each([
    [["severity=critical", "alertname=HuaweiCloudCertificateExpiring"], "critical"],
    [["severity=warning", "alertname=HuaweiCloudCertificateExpiring"], "warning"],
    [["severity=warning", "alertname=HuaweiCloudCertSourceDown"], "warning"],
    [["alertname=SomethingWithoutSeverity"], "warning"],
    [["severity=info", "alertname=HuaweiCloudCertificateStoredOnlyExpiring"], "notice"],
    [["severity=info", "alertname=HuaweiCloudCCMCertificateStoredOnlyRevoked"], "notice"],
    [["severity=info", "tag_team=payments"], "notice"],
    [["severity=critical", "tag_team=payments"], "payments-critical"],
    [["severity=warning", "tag_team=payments"], "payments-warning"],
    [["severity=critical", "tag_team=search"], "critical"],
  ])("routes %j to %s", (labels, receiver) => {
    const result = run(tools.path("amtool"), [
      "config",
      "routes",
      "test",
      `--config.file=${ALERTMANAGER_FILE}`,
      ...labels,
    ]);
    expect(result.status, result.output).toBe(0);
    expect(result.output.trim().split("\n")).toContain(receiver);
  });
});

const daemon = requireBinaries("Alertmanager start-up check", ["prometheus-alertmanager"]);

describe.skipIf(daemon.skip)("Alertmanager example: a real Alertmanager starts with it", () => {
  const workDir = mkdtempSync(join(tmpdir(), "hwcert-alertmanager-"));
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Starts Alertmanager (default retention and log level) until ready; its log lines, parsed. */
  async function startupLog(configFile: string, name: string): Promise<Record<string, string>[]> {
    const port = await freePort();
    const service = startService("alertmanager", daemon.path("prometheus-alertmanager"), [
      `--config.file=${configFile}`,
      `--storage.path=${join(workDir, name)}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ]);
    try {
      // It loads and checks the configuration before it listens.
      await waitFor("Alertmanager ready", () => isReady(`http://127.0.0.1:${port}`), [service]);
    } finally {
      await stopService(service);
    }
    return service
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map(parseLogfmt);
  }

  /** Warnings and errors; Alertmanager 0.25 logs `level=warn`, later versions `level=WARN`. */
  const complaints = (lines: Record<string, string>[]): Record<string, string>[] =>
    lines.filter((line) => ["warn", "error"].includes((line["level"] ?? "").toLowerCase()));

  it("logs no warning at start-up", async () => {
    const lines = await startupLog(ALERTMANAGER_FILE, "shipped");
    expect(lines.some((line) => line["msg"] === "Completed loading of configuration file")).toBe(
      true,
    );
    expect(complaints(lines)).toEqual([]);
  });

  it("would warn about a notice repeated weekly (so the check above can fail)", async () => {
    const weekly = readYaml(ALERTMANAGER_FILE) as AlertmanagerConfig;
    const notice = weekly.route.routes?.find((r) => r.matchers?.includes('severity="info"'));
    if (notice === undefined) throw new Error("no info route");
    notice.repeat_interval = "7d";
    const file = join(workDir, "weekly.yml");
    writeFileSync(file, stringify(weekly));
    const warned = complaints(await startupLog(file, "weekly"));
    expect(warned.map((line) => line["repeat_interval"])).toEqual(["168h0m0s"]);
    expect(warned[0]?.["msg"]).toMatch(/repeat_interval is greater than the data retention/);
  });
});
