// The shipped alert rules: promtool's own checks and unit tests (deploy/prometheus/tests), the
// conventions every rule follows, and the PrometheusRule copy that must never drift.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/metrics/contract.js";
import {
  DEPLOY,
  RULES_FILE,
  hwcertMetricNames,
  readRuleGroups,
  readText,
  readYaml,
  requireBinaries,
  run,
} from "./tools.js";

const groups = readRuleGroups();
const rules = groups.flatMap((group) => group.rules);
const TEST_DIR = join(DEPLOY, "prometheus", "tests");
const testFiles = readdirSync(TEST_DIR).filter((name) => name.endsWith(".test.yml"));

/** Names Prometheus exposes for the contract's families (histograms have three series). */
const KNOWN_SERIES = new Set(
  Object.values(METRICS).flatMap((metric) =>
    metric.name === METRICS.pollDuration.name
      ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix)
      : [metric.name],
  ),
);

const CERTIFICATE_ALERTS = ["HuaweiCloudCertificateExpiring", "HuaweiCloudELBCertificateExpiring"];

describe("alert rules: conventions", () => {
  it("covers every alert the issue asks for", () => {
    expect(new Set(rules.map((rule) => rule.alert))).toEqual(
      new Set([
        ...CERTIFICATE_ALERTS,
        "HuaweiCloudGeminiDBCALinkBroken",
        "HuaweiCloudCertSourceDown",
        "HuaweiCloudCertDataStale",
        "HuaweiCloudCertErrors",
        "HuaweiCloudCertExporterAbsent",
      ]),
    );
  });

  it.each(rules.map((rule) => [`${rule.alert} (${rule.labels["severity"] ?? "?"})`, rule]))(
    "%s has a severity, a summary and a description that names a metric",
    (_name, rule) => {
      expect(["warning", "critical"]).toContain(rule.labels["severity"]);
      expect(rule.annotations["summary"]?.length).toBeGreaterThan(20);
      const description = rule.annotations["description"] ?? "";
      expect(description.length).toBeGreaterThan(60);
      expect(description).toMatch(/\bhwcert_[a-z_]+|up\{job=/);
    },
  );

  it("names the certificate (or instance), the project and the region in certificate summaries", () => {
    // The errors counter and `up` carry no project or region; every other rule names both.
    const withoutProject = ["HuaweiCloudCertErrors", "HuaweiCloudCertExporterAbsent"];
    for (const rule of rules.filter((r) => !withoutProject.includes(r.alert))) {
      const summary = rule.annotations["summary"] ?? "";
      expect(summary, rule.alert).toContain("$labels.project_id");
      expect(summary, rule.alert).toContain("$labels.region");
    }
    for (const rule of rules.filter((r) => CERTIFICATE_ALERTS.includes(r.alert))) {
      expect(rule.annotations["summary"]).toMatch(
        /\$labels\.(certificate_name|resource_name)[\s\S]*\$labels\.(certificate_id|resource_id)/,
      );
    }
  });

  it("pairs warning and critical expiry rules with lifetime-relative, capped thresholds", () => {
    for (const alert of CERTIFICATE_ALERTS) {
      const pair = rules.filter((rule) => rule.alert === alert);
      const warning = pair.find((rule) => rule.labels["severity"] === "warning");
      const critical = pair.find((rule) => rule.labels["severity"] === "critical");
      expect(warning?.expr).toMatch(/0\.30 \*[\s\S]*28 \* 86400[\s\S]*28 \* 86400/);
      expect(critical?.expr).toMatch(/0\.10 \*[\s\S]*7 \* 86400[\s\S]*7 \* 86400/);
      // Identical apart from the thresholds, so the pair can never disagree on what it reads.
      const normalise = (expr = ""): string =>
        expr
          .replace("0.30", "F")
          .replace("0.10", "F")
          .replaceAll(/\b(28|7) \* 86400/g, "T");
      expect(normalise(critical?.expr)).toBe(normalise(warning?.expr));
    }
  });

  it("guards every timestamp it compares with time() against zero", () => {
    for (const rule of rules.filter((r) => r.expr.includes("time()"))) {
      for (const name of hwcertMetricNames(rule.expr).filter((n) =>
        n.endsWith("_timestamp_seconds"),
      )) {
        expect(rule.expr, `${rule.alert}: ${name}`).toMatch(
          new RegExp(`${name}(\\{[^}]*\\})? > 0`),
        );
      }
    }
  });

  it("drops the exporter's instance from certificate and link alerts (replicas deduplicate)", () => {
    for (const rule of rules.filter((r) => r.labels["source"] !== undefined)) {
      expect(rule.expr, rule.alert).toMatch(
        /^\s*(label_replace\(\s*)?max without \(instance, pod\)/,
      );
    }
  });

  it("reads only metrics of the exporter's contract", () => {
    for (const rule of rules) {
      for (const name of hwcertMetricNames(rule.expr))
        expect(KNOWN_SERIES, rule.alert).toContain(name);
    }
  });

  it("ships the same groups as a Kubernetes PrometheusRule", () => {
    const prometheusRule = readYaml(join(DEPLOY, "kubernetes", "prometheusrule.yaml")) as {
      apiVersion: string;
      kind: string;
      spec: { groups: unknown };
    };
    expect(prometheusRule.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(prometheusRule.kind).toBe("PrometheusRule");
    expect(
      prometheusRule.spec.groups,
      "deploy/kubernetes/prometheusrule.yaml drifted from the rule file: regenerate it (recipe in its header)",
    ).toEqual(groups);
  });

  it("has promtool unit tests for every alert, including cases that must not fire", () => {
    const tests = testFiles.map((name) => readText(join(TEST_DIR, name))).join("\n");
    for (const rule of rules) expect(tests).toContain(`alertname: ${rule.alert}`);
    expect(tests).toMatch(/90-day certificate, 40 days left: must not fire/);
    expect(tests).toMatch(/6-day certificate on day 2 .*must not fire/);
    expect(tests).toMatch(/exp_alerts: \[\]/);
  });
});

const tools = requireBinaries("alert rule checks", ["promtool"]);

describe.skipIf(tools.skip)("alert rules: promtool", () => {
  it("promtool check rules accepts the rule file", () => {
    const result = run(tools.path("promtool"), ["check", "rules", RULES_FILE]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status, result.output).toBe(0);
  });

  it("promtool check config accepts deploy/prometheus/prometheus.yml with its rules", () => {
    const config = join(DEPLOY, "prometheus", "prometheus.yml");
    const result = run(tools.path("promtool"), ["check", "config", config]);
    expect(result.output).toContain("1 rule files found");
    expect(result.status, result.output).toBe(0);
  });

  it.each(testFiles)(
    "promtool test rules %s passes",
    (file) => {
      const result = run(tools.path("promtool"), ["test", "rules", file], TEST_DIR);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain("SUCCESS");
    },
    60_000,
  );
});
