// The Grafana dashboard: importable without editing (every query goes through the `datasource`
// template variable, no data source UID is hard-coded), covers what operators look at, counts
// certificates by the one severity model (the shipped rules' hwcert:certificate_severity, what the
// status page counts), and every query is valid PromQL over metrics of the exporter's contract and
// the shipped rules' recordings (checked by promtool). test/e2e/demo-alerts.test.ts runs the
// certificate panels' queries against a real Prometheus and compares them with the status page.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { METRICS } from "../../src/metrics/contract.js";
import { SEVERITIES } from "../../src/status/severity.js";
import {
  DASHBOARD_FILE,
  expandDashboardQuery,
  hwcertMetricNames,
  isRecord,
  readRuleGroups,
  readText,
  recordedNames,
  requireBinaries,
  run,
} from "./tools.js";

interface Target {
  datasource: { type: string; uid: string };
  expr: string;
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: {
    list: { name: string; type: string; query: unknown; datasource?: { uid: string } }[];
  };
}

const text = readText(DASHBOARD_FILE);
const dashboard = JSON.parse(text) as Dashboard;
const panels = dashboard.panels.filter((panel) => panel.type !== "row");
const targets = panels.flatMap((panel) => panel.targets ?? []);

const KNOWN_SERIES = new Set(
  Object.values(METRICS).flatMap((metric) =>
    metric.name === METRICS.pollDuration.name
      ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix)
      : [metric.name],
  ),
);

const RECORDED = new Set(
  readRuleGroups().flatMap((group) => group.rules.filter(isRecord).map((rule) => rule.record)),
);

describe("Grafana dashboard", () => {
  it("selects its data source through a template variable, hard-coding no UID", () => {
    const variable = dashboard.templating.list.find((v) => v.name === "datasource");
    expect(variable).toMatchObject({ type: "datasource", query: "prometheus" });
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const target of panel.targets ?? []) {
        expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    }
    for (const variable of dashboard.templating.list.filter((v) => v.type === "query")) {
      expect(variable.datasource?.uid).toBe("${datasource}");
    }
    // No other "uid" than the dashboard's own, the variable and Grafana's built-in annotations.
    const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((match) => match[1]);
    expect(new Set(uids)).toEqual(
      new Set(["huaweicloud-cert-exporter", "${datasource}", "-- Grafana --"]),
    );
  });

  it("shows certificates by days left, link health, source health and poll duration", () => {
    const titles = panels.map((panel) => panel.title).join("\n");
    expect(titles).toMatch(/Certificates by days left/);
    expect(titles).toMatch(/ELB certificates by days left/);
    expect(titles).toMatch(/GeminiDB CA link health/);
    expect(titles).toMatch(/Source health/);
    expect(titles).toMatch(/Poll duration/);
  });

  it("has unique panel ids and reads only the exporter's metrics and the shipped recordings", () => {
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) {
      for (const name of hwcertMetricNames(target.expr)) expect(KNOWN_SERIES).toContain(name);
      for (const name of recordedNames(target.expr)) expect(RECORDED).toContain(name);
    }
  });

  it("counts certificates by the status page's severities, from the rules' recording", () => {
    // One stat per severity, counting hwcert:certificate_severity as the page's summary does;
    // no count of its own (fixed days, X.509 only) that would disagree with the page.
    for (const severity of SEVERITIES) {
      const counting = panels.filter(
        (panel) =>
          panel.type === "stat" &&
          panel.targets?.length === 1 &&
          panel.targets[0]?.expr.startsWith(
            `count(hwcert:certificate_severity{severity="${severity}", `,
          ),
      );
      expect(
        counting.map((panel) => panel.title),
        severity,
      ).toHaveLength(1);
    }
    const table = panels.find((panel) => panel.title.startsWith("Certificates by days left"));
    expect(table?.targets?.[0]?.expr).toContain("hwcert:certificate_row_seconds_left");
    expect(table?.targets?.[0]?.expr).toContain(
      "group_left (severity) hwcert:certificate_severity",
    );
    for (const panel of panels.filter((panel) => panel.type === "stat")) {
      for (const target of panel.targets ?? []) {
        expect(target.expr, panel.title).not.toMatch(/86400/);
      }
    }
  });

  const tools = requireBinaries("Grafana dashboard query checks", ["promtool"]);
  it.skipIf(tools.skip)("has only valid PromQL (promtool parses every query)", () => {
    const directory = mkdtempSync(join(tmpdir(), "hwcert-grafana-"));
    try {
      const file = join(directory, "queries.yml");
      const rules = targets.map((target, index) => ({
        record: `grafana:query_${String(index)}`,
        expr: expandDashboardQuery(target.expr),
      }));
      const variables = dashboard.templating.list
        .filter((v) => v.type === "query")
        .map((v, index) => {
          const query = (v.query as { query: string }).query;
          const selector = /^label_values\((.+), \w+\)$/.exec(query)?.[1] ?? "";
          return {
            record: `grafana:variable_${String(index)}`,
            expr: expandDashboardQuery(selector),
          };
        });
      writeFileSync(
        file,
        stringify({ groups: [{ name: "grafana", rules: [...rules, ...variables] }] }),
      );
      const result = run(tools.path("promtool"), ["check", "rules", file]);
      expect(result.status, result.output).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
