// The shipped alert rules: promtool's own checks and unit tests (deploy/prometheus/tests), the
// conventions every rule follows (what pages and what only notifies, thresholds, owner labels,
// replica de-duplication), and the PrometheusRule copy that must never drift.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/sources/index.js";
import {
  DEPLOY,
  RULES_FILE,
  hwcertMetricNames,
  isAlert,
  isRecord,
  readRuleGroups,
  readText,
  readYaml,
  recordedNames,
  requireBinaries,
  ruleName,
  run,
} from "./tools.js";

const groups = readRuleGroups();
const allRules = groups.flatMap((group) => group.rules);
const alerts = allRules.filter(isAlert);
const records = allRules.filter(isRecord);
const certificateGroup = groups.find(
  (group) => group.name === "huaweicloud-cert-exporter.certificates",
);
const certificateRules = certificateGroup?.rules ?? [];
const TEST_DIR = join(DEPLOY, "prometheus", "tests");
const testFiles = readdirSync(TEST_DIR).filter((name) => name.endsWith(".test.yml"));

/** Names Prometheus exposes for the contract's families (histograms have three series). */
const KNOWN_SERIES = new Set([
  ...Object.values(METRICS).flatMap((metric) =>
    metric.name === METRICS.pollDuration.name
      ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix)
      : [metric.name],
  ),
]);

/** Certificate expiry alerts: warning and critical pairs for certificates in use. */
const PAGING_EXPIRY_ALERTS = [
  "HuaweiCloudCertificateExpiring",
  "HuaweiCloudELBCertificateExpiring",
  "HuaweiCloudCCMCertificateExpiring",
];
const STORED_ONLY_ALERT = "HuaweiCloudCertificateStoredOnlyExpiring";
const REVOKED_ALERT = "HuaweiCloudCCMCertificateRevoked";
const PROBLEM_ALERT = "HuaweiCloudCertResourceProblem";
const STORED_REVOKED_ALERT = "HuaweiCloudCCMCertificateStoredOnlyRevoked";
/** Threshold families: each has `hwcert:<family>_seconds_left`, `_lifetime_seconds` and a threshold. */
const FAMILIES = ["certificate", "elb_certificate", "ccm_certificate"];

const OWNER_JOIN =
  "* on (source, region, project_id, resource_id) group_left (enterprise_project_name, tag_team, tag_env)\n  hwcert:resource_owner_info";
const PAGE_UNLESS_STORED_ONLY =
  "unless on (source, region, project_id, resource_id)\n    (hwcert:resource_in_use == 0)";

describe("alert rules: conventions", () => {
  it("covers every alert the issue asks for", () => {
    expect(new Set(alerts.map((rule) => rule.alert))).toEqual(
      new Set([
        ...PAGING_EXPIRY_ALERTS,
        STORED_ONLY_ALERT,
        REVOKED_ALERT,
        STORED_REVOKED_ALERT,
        "HuaweiCloudGeminiDBCALinkBroken",
        "HuaweiCloudCertSourceDown",
        "HuaweiCloudCertDataStale",
        "HuaweiCloudCertErrors",
        "HuaweiCloudCertExporterAbsent",
        PROBLEM_ALERT,
      ]),
    );
  });

  it.each(alerts.map((rule) => [`${rule.alert} (${rule.labels["severity"] ?? "?"})`, rule]))(
    "%s has a severity, a summary and a description that names a metric",
    (_name, rule) => {
      expect(["info", "warning", "critical"]).toContain(rule.labels["severity"]);
      expect(rule.annotations["summary"]?.length).toBeGreaterThan(20);
      const description = rule.annotations["description"] ?? "";
      expect(description.length).toBeGreaterThan(60);
      expect(description).toMatch(/\bhwcert_[a-z_]+|up\{job=/);
    },
  );

  it("names the certificate (or instance), the project and the region in certificate summaries", () => {
    // The errors counter and `up` carry no project or region; every other rule names both.
    const withoutProject = ["HuaweiCloudCertErrors", "HuaweiCloudCertExporterAbsent"];
    for (const rule of alerts.filter((r) => !withoutProject.includes(r.alert))) {
      const summary = rule.annotations["summary"] ?? "";
      expect(summary, rule.alert).toContain("$labels.project_id");
      expect(summary, rule.alert).toContain("$labels.region");
    }
    const named = [
      ...PAGING_EXPIRY_ALERTS,
      STORED_ONLY_ALERT,
      REVOKED_ALERT,
      STORED_REVOKED_ALERT,
      PROBLEM_ALERT,
    ];
    for (const rule of alerts.filter((r) => named.includes(r.alert))) {
      expect(rule.annotations["summary"], rule.alert).toMatch(
        /(\$labels\.(certificate_name|resource_name)|\.Labels\.certificate_name)[\s\S]*\$labels\.(certificate_id|resource_id)/,
      );
    }
  });

  it("records every series it reads earlier in the same group (one timestamp, in order)", () => {
    for (const group of groups) {
      const recorded = new Set<string>();
      for (const rule of group.rules) {
        for (const name of recordedNames(rule.expr)) {
          expect(recorded, `${ruleName(rule)} reads ${name}`).toContain(name);
        }
        if (rule.record !== undefined) recorded.add(rule.record);
      }
    }
    for (const rule of records) expect(rule.record).toMatch(/^hwcert:[a-z_]+$/);
  });

  it("derives thresholds the same way in every family: override, else lifetime-relative and capped, else absolute", () => {
    const normaliseFamily = (expr: string, family: string): string =>
      expr.replaceAll(`hwcert:${family}_`, "hwcert:F_");
    const normaliseSeverity = (expr: string): string =>
      expr
        .replace('severity="warning"', 'severity="S"')
        .replace('severity="critical"', 'severity="S"')
        .replace("0.30", "F")
        .replace("0.10", "F")
        .replaceAll(/\b(28|7) \* 86400/g, "T");
    const shapes = new Set<string>();
    for (const family of FAMILIES) {
      const pair = records.filter((r) => r.record === `hwcert:${family}_expiry_threshold_seconds`);
      const warning = pair.find((rule) => rule.labels?.["severity"] === "warning");
      const critical = pair.find((rule) => rule.labels?.["severity"] === "critical");
      expect(warning?.expr, family).toMatch(
        /hwcert_certificate_expiry_threshold_seconds\{severity="warning"\}[\s\S]*0\.30 \*[\s\S]*28 \* 86400[\s\S]*28 \* 86400/,
      );
      expect(critical?.expr, family).toMatch(
        /hwcert_certificate_expiry_threshold_seconds\{severity="critical"\}[\s\S]*0\.10 \*[\s\S]*7 \* 86400[\s\S]*7 \* 86400/,
      );
      // Identical apart from the thresholds, so a pair can never disagree on what it reads.
      expect(normaliseSeverity(critical?.expr ?? "")).toBe(normaliseSeverity(warning?.expr ?? ""));
      shapes.add(normaliseFamily(normaliseSeverity(warning?.expr ?? ""), family));
    }
    expect(shapes.size, "the three families' thresholds differ in shape").toBe(1);
  });

  it("pages only for certificates in use (or unknown) and only notifies for stored-only ones", () => {
    for (const alert of PAGING_EXPIRY_ALERTS) {
      const pair = alerts.filter((rule) => rule.alert === alert);
      expect(pair.map((rule) => rule.labels["severity"]).sort(), alert).toEqual([
        "critical",
        "warning",
      ]);
      for (const rule of pair) {
        expect(rule.expr, alert).toContain(PAGE_UNLESS_STORED_ONLY);
        expect(rule.expr, alert).toContain(
          `_expiry_threshold_seconds{severity="${rule.labels["severity"] ?? ""}"}`,
        );
      }
    }
    const revoked = alerts.filter((rule) => rule.alert === REVOKED_ALERT);
    expect(revoked.map((rule) => rule.labels["severity"])).toEqual(["critical"]);
    expect(revoked[0]?.expr).toContain(PAGE_UNLESS_STORED_ONLY);
    const notices = alerts.filter(
      (rule) => rule.alert === STORED_ONLY_ALERT || rule.alert === STORED_REVOKED_ALERT,
    );
    expect(notices.map((rule) => [rule.alert, rule.labels["severity"]])).toEqual([
      [STORED_ONLY_ALERT, "info"],
      [STORED_REVOKED_ALERT, "info"],
    ]);
    for (const notice of notices) {
      expect(notice.expr).toMatch(/and on \([^)]*\)\s+\(hwcert:resource_in_use == 0\)/);
    }
    for (const family of FAMILIES) {
      expect(notices[0]?.expr).toContain(
        `hwcert:${family}_expiry_threshold_seconds{severity="warning"}`,
      );
    }
    // The stored revoked notice watches the same statuses as the page it replaces.
    expect(notices[1]?.expr).toContain('hwcert_ccm_certificate_status{status=~"revoked|expired"}');
    expect(revoked[0]?.expr).toContain('hwcert_ccm_certificate_status{status=~"revoked|expired"}');
    // Nothing else is info, and each notice is the only alert of its name. A notice never says
    // it comes once: Alertmanager repeats it.
    expect(alerts.filter((rule) => rule.labels["severity"] === "info")).toEqual(notices);
    for (const notice of notices) {
      expect(notice.annotations["description"]).not.toMatch(/comes once/);
      expect(notice.annotations["description"]).toContain("repeat_interval");
    }
  });

  it("reads the exporter's usage decision, and records each status page row's severity", () => {
    const inUse = records.filter((rule) => rule.record === "hwcert:resource_in_use");
    expect(inUse.map((rule) => rule.expr.trim())).toEqual([
      "max without (instance, pod) (hwcert_resource_in_use)",
    ]);
    const severities = records.filter((rule) => rule.record === "hwcert:certificate_severity");
    // Most urgent first, as src/status/severity.ts orders them.
    expect(severities.map((rule) => rule.labels?.["severity"])).toEqual([
      "expired",
      "critical",
      "warning",
      "notice",
      "ok",
    ]);
    for (const rule of severities)
      expect(rule.expr).toContain("hwcert:certificate_row_seconds_left");
    const header = readText(RULES_FILE).split("\ngroups:")[0] ?? "";
    expect(header).toContain("hwcert:certificate_severity{severity}");
    expect(header).toContain("hwcert:certificate_row_seconds_left{kind}");
  });

  it("joins the owner labels onto every certificate alert, with the same tag list everywhere", () => {
    const certificateAlerts = certificateRules
      .filter(isAlert)
      .filter((rule) => rule.labels["severity"] !== undefined);
    const joined = certificateAlerts.filter((rule) => rule.expr.includes("group_left (enterprise"));
    expect(joined.map((rule) => rule.alert).sort()).toEqual(
      [
        ...PAGING_EXPIRY_ALERTS,
        ...PAGING_EXPIRY_ALERTS,
        STORED_ONLY_ALERT,
        REVOKED_ALERT,
        STORED_REVOKED_ALERT,
      ].sort(),
    );
    for (const rule of joined)
      expect(rule.expr.trimEnd(), rule.alert).toMatch(new RegExp(`${escape(OWNER_JOIN)}$`));
    const owner = records.find((rule) => rule.record === "hwcert:resource_owner_info");
    expect(owner?.expr).toContain("hwcert_resource_owner_info");
    // The fallback that keeps an alert without an owner series covers every family it joins.
    for (const family of FAMILIES) expect(owner?.expr).toContain(`hwcert:${family}_seconds_left`);
    expect(owner?.expr).toContain("hwcert:resource_in_use");
  });

  it("guards every timestamp it reads against zero", () => {
    // In the certificate rules every read is guarded; elsewhere at least one read per rule.
    for (const rule of certificateRules) {
      for (const match of rule.expr.matchAll(
        /\bhwcert_[a-z_]+_timestamp_seconds\b(\{[^}]*\})?(.{0,4})/g,
      )) {
        expect(match[2], `${ruleName(rule)}: ${match[0]}`).toBe(" > 0");
      }
    }
    for (const rule of allRules.filter((r) => r.expr.includes("time()"))) {
      for (const name of hwcertMetricNames(rule.expr).filter((n) =>
        n.endsWith("_timestamp_seconds"),
      )) {
        expect(rule.expr, `${ruleName(rule)}: ${name}`).toMatch(
          new RegExp(`${name}(\\{[^}]*\\})? > 0`),
        );
      }
    }
  });

  it("drops the exporter's instance from certificate and link rules (replicas deduplicate)", () => {
    for (const rule of certificateRules.filter((r) => hwcertMetricNames(r.expr).length > 0)) {
      expect(rule.expr, ruleName(rule)).toMatch(/max without \(instance, pod\)|max by \(/);
    }
    for (const rule of alerts.filter((r) => r.labels["source"] !== undefined)) {
      const raw = hwcertMetricNames(rule.expr);
      if (raw.length > 0) expect(rule.expr, rule.alert).toContain("max without (instance, pod)");
    }
  });

  it("reads only metrics of the exporter's contract", () => {
    for (const rule of allRules) {
      for (const name of hwcertMetricNames(rule.expr))
        expect(KNOWN_SERIES, ruleName(rule)).toContain(name);
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
    for (const rule of alerts) expect(tests).toContain(`alertname: ${rule.alert}`);
    expect(tests).toMatch(/90-day certificate, 40 days left: must not fire/);
    expect(tests).toMatch(/6-day certificate on day 2 .*must not fire/);
    expect(tests).toMatch(/bindings unknown .*pages rather than miss/);
    expect(tests).toMatch(/bound to no listener, 40 days left: must not fire/);
    expect(tests).toMatch(/revoked, used by nothing and marked stored: one info notice/);
    expect(tests).toMatch(/used by nothing and not marked stored: in use/);
    expect(tests).toMatch(/override 14 d \/ 3 d: must not fire/);
    expect(tests).toMatch(/no owner series: fires unchanged/);
    expect(tests).toMatch(/exp_alerts: \[\]/);
    expect(tests).toMatch(/unreadable for one poll only .*: must not fire/);
    expect(tests).toMatch(/GeminiDB link failing on this replica only .*must\s+# not fire/);
  });

  it("keeps HuaweiCloudCertErrors off the failures a named problem explains", () => {
    const errors = alerts.find((rule) => rule.alert === "HuaweiCloudCertErrors");
    expect(errors?.expr).toMatch(
      /rate\(hwcert_errors_total\[15m\]\) > 0\s+unless on \(job, instance, source, reason\)\s+hwcert_resource_problem/,
    );
    // The problem alert leaves a GeminiDB link that is down to the alert that names the link.
    const problem = alerts.find((rule) => rule.alert === PROBLEM_ALERT);
    expect(problem?.expr).toContain("max without (instance, pod) (hwcert_resource_problem == 1)");
    expect(problem?.expr).toContain(
      "min without (instance, pod) (hwcert_geminidb_ca_link_up) == 0",
    );
  });
});

/** A string as a literal regular expression. */
function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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
    // promtool evaluates every rule at every step: minutes on a fully loaded machine.
    300_000,
  );
});
