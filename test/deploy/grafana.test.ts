// The Grafana dashboard: importable without editing (every query goes through the `datasource`
// template variable, no data source UID is hard-coded), tells the status page's story (counts
// and rows from the shipped recording rules, never limits of its own), covers every source,
// filters every series by the job, region and project variables, and every query is valid PromQL
// over metrics of the exporter's contract and recordings of the shipped rules (checked by
// promtool, which also runs the tables' usage logic on cases the demo does not have).
// test/e2e/grafana-panels.test.ts runs every panel against a real Prometheus.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { METRICS } from "../../src/sources/index.js";
import {
  ALL,
  COUNT_PANEL_TITLES,
  dashboard,
  dashboardText,
  dataPanels,
  expandVariables,
  panelTargets,
  type DashboardPanel,
} from "../helpers/grafana-dashboard.js";
import {
  RULES_FILE,
  hwcertMetricNames,
  isRecord,
  readRuleGroups,
  recordedNames,
  requireBinaries,
  run,
} from "./tools.js";

const targets = panelTargets.map(({ target }) => target);

/** Series names of the contract (the histogram's three), with their label names. */
const CONTRACT_LABELS = new Map<string, readonly string[]>(
  Object.values(METRICS).flatMap((metric): [string, readonly string[]][] =>
    metric.name === METRICS.pollDuration.name
      ? ["_bucket", "_sum", "_count"].map((suffix) => [metric.name + suffix, metric.labelNames])
      : [[metric.name, metric.labelNames]],
  ),
);
const RECORDED = new Set(
  readRuleGroups().flatMap((group) => group.rules.filter(isRecord).map((rule) => rule.record)),
);

/** The panel with this title; fails when there is none or more than one. */
function panel(title: string): DashboardPanel {
  const found = dataPanels.filter((candidate) => candidate.title === title);
  expect(
    found.map((candidate) => candidate.title),
    `panel "${title}"`,
  ).toEqual([title]);
  return found[0]!;
}

const exprs = (title: string): string[] => (panel(title).targets ?? []).map((t) => t.expr);

/** Every selector of a series the query reads: name and the text of its matchers. */
function selectors(expr: string): { name: string; matchers: string }[] {
  return [...expr.matchAll(/\b(hwcert[_:][a-z0-9_:]*)(?:\{([^}]*)\})?/g)].map((match) => ({
    name: match[1] ?? "",
    matchers: match[2] ?? "",
  }));
}

/**
 * Selectors left without the region and project filters on purpose: CCM is account-wide, so
 * the table of CCM certificates' users filters the users' region and project, not the region
 * and project the CCM certificate was polled in.
 */
const UNFILTERED = new Map([
  ["Where CCM certificates are deployed", new Set(["hwcert:ccm_certificate_seconds_left"])],
]);

describe("Grafana dashboard", () => {
  it("selects its data source through a template variable, hard-coding no UID", () => {
    const variable = dashboard.templating.list.find((v) => v.name === "datasource");
    expect(variable).toMatchObject({ type: "datasource", query: "prometheus" });
    for (const panel of dataPanels) {
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const target of panel.targets ?? []) {
        expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    }
    for (const variable of dashboard.templating.list.filter((v) => v.type === "query")) {
      expect(variable.datasource?.uid).toBe("${datasource}");
    }
    // No other "uid" than the dashboard's own, the variable and Grafana's built-in annotations.
    const uids = [...dashboardText.matchAll(/"uid":\s*"([^"]*)"/g)].map((match) => match[1]);
    expect(new Set(uids)).toEqual(
      new Set(["huaweicloud-cert-exporter", "${datasource}", "-- Grafana --"]),
    );
  });

  it("keeps the job, region and project variables, each with All as a regex", () => {
    const variables = dashboard.templating.list.filter((v) => v.type === "query");
    expect(variables.map((v) => v.name)).toEqual(["job", "region", "project"]);
    for (const variable of variables) {
      expect(variable, variable.name).toMatchObject({
        includeAll: true,
        multi: true,
        allValue: ".*",
      });
    }
    const query = (name: string) =>
      (variables.find((v) => v.name === name)?.query as { query: string }).query;
    expect(query("job")).toBe("label_values(hwcert_build_info, job)");
    expect(query("region")).toBe('label_values(hwcert_source_up{job=~"$job"}, region)');
    expect(query("project")).toBe(
      'label_values(hwcert_source_up{job=~"$job", region=~"$region"}, project_id)',
    );
  });

  it("shows the page's counts, its rows, every source, problems, health and polls", () => {
    for (const title of [
      ...Object.values(COUNT_PANEL_TITLES),
      "Unreadable resources",
      "Certificates by time left",
      "Certificate rows by severity",
      "Resources that cannot be read",
      "ELB certificates",
      "ELB listener bindings",
      "GeminiDB CA link health",
      "GeminiDB CA links broken",
      "CCM certificates by status",
      "CCM certificates",
      "Where CCM certificates are deployed",
      "Source health",
      "Data age",
      "Errors by reason",
      "Poll duration",
      "Cloud API requests",
    ]) {
      expect(panel(title).targets?.length, title).toBeGreaterThan(0);
    }
    const all = targets.map((target) => target.expr).join("\n");
    expect(all).toMatch(/hwcert_elb_certificate_listener_info/);
    expect(all).toMatch(/hwcert_geminidb_ca_link_up/);
    expect(all).toMatch(/hwcert_ccm_certificate_status/);
    expect(all).toMatch(/hwcert_resource_problem/);
  });

  it("counts each severity from hwcert:certificate_severity, with no limits of its own", () => {
    for (const [severity, title] of Object.entries(COUNT_PANEL_TITLES)) {
      expect(exprs(title)).toEqual([
        `count(hwcert:certificate_severity{severity="${severity}", job=~"$job", region=~"$region", project_id=~"$project"}) or vector(0)`,
      ]);
    }
    // The table takes each row's severity and usage from the recordings too.
    const [table] = exprs("Certificates by time left");
    expect(table).toContain("hwcert:certificate_row_seconds_left{");
    expect(table).toMatch(/group_left \(severity\)\s+\(0 \* hwcert:certificate_severity\{/);
    expect(table).toMatch(/group_left \(usage\)/);
    expect(table).toContain("hwcert:resource_in_use{");
    // Days are a unit here (`/ 86400`), never a limit (`7 * 86400`, `< 28`...).
    for (const target of targets) {
      expect(target.expr).not.toMatch(/\d\s*\*\s*86400|86400\s*\*\s*\d/);
      expect(target.expr).not.toMatch(/[<>]=?\s*\d+\s*\*\s*(24|86400)/);
    }
  });

  it("has unique panel ids and reads only the contract's metrics and the rules' recordings", () => {
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    expect(targets.length).toBeGreaterThan(20);
    for (const target of targets) {
      for (const name of hwcertMetricNames(target.expr)) {
        expect(CONTRACT_LABELS.has(name), `${name} in the metric contract`).toBe(true);
      }
      for (const name of recordedNames(target.expr)) {
        expect(RECORDED.has(name), `${name} recorded by ${RULES_FILE}`).toBe(true);
      }
    }
  });

  it("filters every series by job, and by region and project where it has them", () => {
    for (const { panel, target } of panelTargets) {
      const found = selectors(target.expr);
      expect(found.length, panel.title).toBeGreaterThan(0);
      for (const { name, matchers } of found) {
        const where = `${panel.title}: ${name}{${matchers}}`;
        expect(matchers, where).toContain('job=~"$job"');
        const regional = name.startsWith("hwcert:")
          ? true
          : (CONTRACT_LABELS.get(name) ?? []).includes("region");
        if (!regional || UNFILTERED.get(panel.title)?.has(name) === true) continue;
        expect(matchers, where).toContain('region=~"$region"');
        expect(matchers, where).toContain('project_id=~"$project"');
      }
    }
  });

  it("aggregates the exporter's series across replicas (no instance or pod in a result)", () => {
    // A selector of an exporter series is always inside an aggregation or a join onto a
    // recording; the live test checks the results. Here: no query groups by replica.
    for (const target of targets) {
      expect(target.expr).not.toMatch(/\bby \([^)]*\b(instance|pod)\b/);
      expect(target.legendFormat ?? "").not.toMatch(/instance|pod/);
    }
  });

  const tools = requireBinaries("Grafana dashboard query checks", ["promtool"]);

  it.skipIf(tools.skip)("has only valid PromQL (promtool parses every query)", () => {
    const directory = mkdtempSync(join(tmpdir(), "hwcert-grafana-"));
    try {
      const file = join(directory, "queries.yml");
      const expand = (expr: string) =>
        expandVariables(expr, { ...ALL, job: "huaweicloud-cert-exporter" });
      const rules = targets.map((target, index) => ({
        record: `grafana:query_${String(index)}`,
        expr: expand(target.expr),
      }));
      const variables = dashboard.templating.list
        .filter((v) => v.type === "query")
        .map((v, index) => {
          const query = (v.query as { query: string }).query;
          const selector = /^label_values\((.+), \w+\)$/.exec(query)?.[1] ?? "";
          return { record: `grafana:variable_${String(index)}`, expr: expand(selector) };
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

  it.skipIf(tools.skip)(
    "labels each row in use, stored only, or unknown (judged in use) as the page does",
    () => {
      // Three ELB certificates with 5 of 90 days left, through the shipped rules: on a listener
      // (critical), on none (a notice), listeners never listed (no hwcert_resource_in_use:
      // critical, as the page judges unknown use). The demo has no unknown case to show live.
      const directory = mkdtempSync(join(tmpdir(), "hwcert-grafana-"));
      try {
        const evalSeconds = 300;
        const notAfter = evalSeconds + 5 * 86_400;
        const where = {
          job: "huaweicloud-cert-exporter",
          region: "ap-southeast-1",
          project_id: "0123456789abcdef0123456789abcdef",
        };
        const cases = [
          { id: "c-in-use", inUse: 1, severity: "critical", usage: "in_use" },
          { id: "c-stored", inUse: 0, severity: "notice", usage: "stored" },
          { id: "c-unknown", inUse: null, severity: "critical", usage: "unknown" },
        ] as const;
        const series = (name: string, labels: Record<string, string>, value: number) => ({
          series: `${name}${labelText({ ...labels, instance: "exporter-a:10057" })}`,
          values: `${String(value)}+0x10`,
        });
        const rowLabels = (id: string) => ({
          ...where,
          source: "elb",
          resource_id: id,
          resource_name: `name-${id}`,
          chain_position: "leaf",
          subject_cn: `${id}.example.com`,
          issuer_cn: "Example CA",
          serial_number: id.toUpperCase(),
        });
        const input = cases.flatMap((c) => [
          series("hwcert_certificate_not_after_timestamp_seconds", rowLabels(c.id), notAfter),
          series(
            "hwcert_certificate_not_before_timestamp_seconds",
            rowLabels(c.id),
            notAfter - 90 * 86_400,
          ),
          series(
            "hwcert_elb_certificate_expire_timestamp_seconds",
            {
              ...where,
              certificate_id: c.id,
              certificate_name: `name-${c.id}`,
              certificate_type: "server",
            },
            notAfter,
          ),
          ...(c.inUse === null
            ? []
            : [
                series(
                  "hwcert_resource_in_use",
                  { ...where, source: "elb", resource_id: c.id },
                  c.inUse,
                ),
              ]),
        ]);
        const expand = (title: string) =>
          expandVariables(exprs(title)[0] ?? "", { ...ALL, job: "huaweicloud-cert-exporter" });
        const file = join(directory, "usage.test.yml");
        writeFileSync(
          file,
          stringify({
            rule_files: [RULES_FILE],
            evaluation_interval: "1m",
            tests: [
              {
                interval: "1m",
                input_series: input,
                promql_expr_test: [
                  {
                    expr: expand("Certificates by time left"),
                    eval_time: `${String(evalSeconds)}s`,
                    exp_samples: cases.map((c) => ({
                      labels: labelText({
                        ...rowLabels(c.id),
                        kind: "x509",
                        severity: c.severity,
                        usage: c.usage,
                      }),
                      value: 5,
                    })),
                  },
                  {
                    expr: expand("ELB certificates"),
                    eval_time: `${String(evalSeconds)}s`,
                    exp_samples: cases.map((c) => ({
                      labels: labelText({
                        ...where,
                        source: "elb",
                        resource_id: c.id,
                        resource_name: `name-${c.id}`,
                        severity: c.severity,
                        usage: c.usage,
                      }),
                      value: 5,
                    })),
                  },
                ],
              },
            ],
          }),
        );
        const result = run(tools.path("promtool"), ["test", "rules", file]);
        expect(result.status, result.output).toBe(0);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});

/** `{a="1",b="2"}` */
function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(",")}}`;
}
