// The Alertmanager example: amtool accepts it, routes each severity to its receiver, groups by
// certificate and inhibits a certificate's warning while its critical alert fires (the e2e test
// sees the inhibition happen in a real Alertmanager).

import { describe, expect, it } from "vitest";
import { ALERTMANAGER_FILE, readRuleGroups, readYaml, requireBinaries, run } from "./tools.js";

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
    // Every certificate and link alert carries them: the X.509 series have source and
    // resource_id; the ELB and link rules set source and copy their id into resource_id.
    const grouped = readRuleGroups()
      .flatMap((group) => group.rules)
      .filter((rule) => rule.alert.includes("Certificate") || rule.alert.includes("CALink"));
    expect(grouped).toHaveLength(5);
    for (const rule of grouped) {
      const native = /^\s*max without \(instance, pod\) \(\s*\(hwcert_certificate_not_after/.test(
        rule.expr,
      );
      const copied =
        rule.labels["source"] !== undefined && rule.expr.includes('"resource_id", "$1"');
      expect(native || copied, rule.alert).toBe(true);
    }
  });

  it("has a route and a receiver for every severity the rules use", () => {
    const severities = new Set(
      readRuleGroups().flatMap((group) => group.rules.map((rule) => rule.labels["severity"])),
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
