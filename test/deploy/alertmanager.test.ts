// The Alertmanager example: amtool accepts it, routes each severity to its receiver (info notices
// never to a pager), shows a route by team, groups by certificate and inhibits a certificate's
// warning while its critical alert fires (the e2e test sees the routing and the inhibition happen
// in a real Alertmanager).

import { describe, expect, it } from "vitest";
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
