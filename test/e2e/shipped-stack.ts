// The shipped Prometheus configuration and rules, changed only as far as a test on one machine
// needs: 1 s intervals and `for:` durations, loopback addresses, the rule file where the test
// wrote it. Expressions, labels and annotations stay exactly as shipped.

import { join } from "node:path";
import { DEPLOY, readRuleGroups, readYaml, type RuleGroup } from "../deploy/tools.js";

/** The shipped rules with every `for:` shortened to 1s; expressions untouched. */
export function rulesWithShortFor(): RuleGroup[] {
  return readRuleGroups().map((group) => ({
    ...group,
    rules: group.rules.map((rule) => (rule.for === undefined ? rule : { ...rule, for: "1s" })),
  }));
}

/**
 * The shipped Prometheus config with 1s intervals and loopback addresses; without an
 * Alertmanager the alerts are only evaluated (and read from Prometheus's API).
 */
export function prometheusConfig(
  rulesPath: string,
  exporter: string,
  alertmanager?: string,
): unknown {
  const config = readYaml(join(DEPLOY, "prometheus", "prometheus.yml")) as {
    global: Record<string, unknown>;
    rule_files: string[];
    alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  Object.assign(config.global, { scrape_interval: "1s", evaluation_interval: "1s" });
  config.rule_files = [rulesPath];
  config.alerting.alertmanagers =
    alertmanager === undefined ? [] : [{ static_configs: [{ targets: [alertmanager] }] }];
  const job = config.scrape_configs.find((c) => c.job_name === "huaweicloud-cert-exporter");
  if (job === undefined) throw new Error("prometheus.yml has no huaweicloud-cert-exporter job");
  job.static_configs = [{ targets: [exporter] }];
  return config;
}
