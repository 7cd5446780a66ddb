// Every query of the shipped Grafana dashboard, run the way Grafana runs it against a real
// Prometheus that evaluates the shipped rules and scrapes TWO exporter replicas (the documented
// high-availability setup), both real daemons polling one simulator seeded with the demo
// scenario (ELB, GeminiDB and CCM). Variables are replaced as Grafana does (the job selected,
// region and project "All"; table and stat panels run instant queries, graphs range queries).
//
// Each query must run and return data, one series per thing whatever the number of replicas.
// The dashboard must tell the status page's story: its counts are the page's counts, its table
// holds the page's rows with their severity and usage, and the per-source panels agree with the
// scenario and the page. Selecting one region and project keeps everything; another keeps
// nothing. The status page (/?format=json) is the reference, never values written here.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  demoEnvironment,
  seedDemoScenario,
  startSimulator,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { SEVERITIES } from "../../src/status/severity.js";
import type { TestDaemon } from "../helpers/daemon-harness.js";
import {
  ALL,
  COUNT_PANEL_TITLES,
  dataPanels,
  expandVariables,
  panelTargets,
  type DashboardPanel,
  type DashboardTarget,
  type VariableValues,
} from "../helpers/grafana-dashboard.js";
import { startScrapedReplicas, type MonitoringStack } from "../helpers/monitoring-stack.js";
import { waitFor } from "../helpers/services.js";
import { fetchStatusJson, type StatusJson } from "../helpers/status-json.js";
import { requireBinaries } from "../deploy/tools.js";

const binaries = requireBinaries("Grafana dashboard panels (real Prometheus, two replicas)", [
  "prometheus",
]);

const JOB = "huaweicloud-cert-exporter";
const REPLICAS = 2;
const SOURCES = ["elb", "geminidb", "ccm"] as const;
const DAY = 86_400;
/** How far a time left may be from the page's: query time against the page's clock. */
const TOLERANCE_SECONDS = 120;
/** Graph panels are asked for the last minutes at this step, as Grafana would for a short range. */
const RANGE_SECONDS = 120;
const STEP_SECONDS = 5;

/** What Grafana sends with the job selected and region and project left at "All". */
const SELECTED: VariableValues = { ...ALL, job: JOB };

/** One series of a panel's answer; an instant query gives one value. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly number[];
}

const labelSet = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const only = (series: readonly Series[]): number => {
  expect(series.map((s) => s.values.length)).toEqual([1]);
  return series[0]!.values[0]!;
};

/** The panel with this title. */
function panelNamed(title: string): DashboardPanel {
  const panel = dataPanels.find((candidate) => candidate.title === title);
  if (panel === undefined) throw new Error(`the dashboard has no panel "${title}"`);
  return panel;
}

function firstTarget(title: string): DashboardTarget {
  const target = panelNamed(title).targets?.[0];
  if (target === undefined) throw new Error(`panel "${title}" has no query`);
  return target;
}

/** Whether the query filters by region and project: then another region must empty it. */
const filtersRegion = (target: DashboardTarget): boolean =>
  target.expr.includes('region=~"$region"') && target.expr.includes('project_id=~"$project"');

describe.skipIf(binaries.skip)("the Grafana dashboard against two replicas on the demo", () => {
  const started = Date.now();
  const cleanups: (() => Promise<void> | void)[] = [];
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  const replicas: TestDaemon[] = [];
  let stack: MonitoringStack;

  /** Runs a panel's query as Grafana would: instant for stat and table panels, else a range. */
  async function runTarget(target: DashboardTarget, values: VariableValues): Promise<Series[]> {
    const query = expandVariables(target.expr, values);
    const now = Date.now() / 1000;
    const parameters = new URLSearchParams(
      target.instant === true
        ? { query, time: String(now) }
        : {
            query,
            start: String(now - RANGE_SECONDS),
            end: String(now),
            step: String(STEP_SECONDS),
          },
    );
    const endpoint = target.instant === true ? "query" : "query_range";
    const response = await fetch(
      `${stack.prometheusUrl}/api/v1/${endpoint}?${parameters.toString()}`,
    );
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: {
        resultType: string;
        result: {
          metric: Record<string, string>;
          value?: [number, string];
          values?: [number, string][];
        }[];
      };
    };
    if (body.status !== "success" || body.data === undefined) {
      throw new Error(`query failed (${String(response.status)}): ${body.error ?? ""}\n${query}`);
    }
    const expected = target.instant === true ? "vector" : "matrix";
    if (body.data.resultType !== expected) {
      throw new Error(`a ${body.data.resultType}, not a ${expected}: ${query}`);
    }
    return body.data.result.map((sample) => ({
      labels: sample.metric,
      values: (sample.values ?? (sample.value ? [sample.value] : [])).map(([, v]) => Number(v)),
    }));
  }

  const runPanel = (title: string, values: VariableValues = SELECTED) =>
    runTarget(firstTarget(title), values);

  const page = (replica: TestDaemon): Promise<StatusJson> => fetchStatusJson(replica.baseUrl);

  beforeAll(async () => {
    sim = await startSimulator();
    cleanups.push(() => sim.close());
    scenario = await seedDemoScenario(sim, Date.now());

    const scraped = await startScrapedReplicas(sim, {
      count: REPLICAS,
      sources: SOURCES.length,
      environment: demoEnvironment(sim),
      prometheusBinary: binaries.path("prometheus"),
    });
    cleanups.push(() => scraped.stop());
    replicas.push(...scraped.replicas);
    stack = scraped.stack;
  }, 300_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    console.log(
      `Grafana dashboard panels: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`,
    );
  }, 300_000);

  it("offers the demo's job, region and project in its variables", async () => {
    // label_values(metric, label): Grafana asks Prometheus for the label's values among the
    // metric's series.
    const labelValues = async (label: string, match: string): Promise<string[]> => {
      const parameters = new URLSearchParams({ "match[]": match });
      const response = await fetch(
        `${stack.prometheusUrl}/api/v1/label/${label}/values?${parameters.toString()}`,
      );
      return ((await response.json()) as { data: string[] }).data;
    };
    expect(await labelValues("job", "hwcert_build_info")).toEqual([JOB]);
    expect(await labelValues("region", `hwcert_source_up{job=~"${JOB}"}`)).toEqual([sim.region]);
    expect(
      await labelValues("project_id", `hwcert_source_up{job=~"${JOB}", region=~".*"}`),
    ).toEqual([sim.projectId]);
  });

  it.each(panelTargets.map(({ panel, target }) => ({ title: panel.title, target })))(
    "$title ($target.refId): runs, has data, one series per thing across replicas",
    async ({ title, target }) => {
      const hasData = (result: readonly Series[]) => result.some((s) => s.values.length > 0);
      // A query Prometheus rejects fails here, with Prometheus's own message.
      let series = await runTarget(target, SELECTED);
      if (!hasData(series)) {
        // Rates may need a few more scrapes; everything else is there at once.
        series = await waitFor(
          `data for "${title}"`,
          async () => {
            const result = await runTarget(target, SELECTED);
            return hasData(result) ? result : undefined;
          },
          stack.services,
          90_000,
        );
      }
      for (const s of series) {
        expect(s.labels["instance"], JSON.stringify(s.labels)).toBeUndefined();
        expect(s.labels["pod"], JSON.stringify(s.labels)).toBeUndefined();
      }
      const sets = series.map((s) => labelSet(s.labels));
      expect(new Set(sets).size, "duplicate label sets").toBe(sets.length);
    },
    120_000,
  );

  it("counts what the status page counts, on either replica", async () => {
    const [a, b] = await Promise.all(replicas.map((replica) => page(replica)));
    expect(b!.summary).toEqual(a!.summary);
    const counts = Object.fromEntries(
      await Promise.all(
        SEVERITIES.map(
          async (severity) =>
            [severity, only(await runPanel(COUNT_PANEL_TITLES[severity]))] as const,
        ),
      ),
    );
    expect(counts).toEqual(Object.fromEntries(SEVERITIES.map((s) => [s, a!.summary[s]])));
    // The demo has something of every severity, so no count is right by being zero.
    for (const severity of SEVERITIES) expect(counts[severity], severity).toBeGreaterThan(0);

    const unreadable = new Set(
      a!.problems.flatMap((p) => (p.resource === null ? [] : [`${p.source}/${p.resource.id}`])),
    );
    expect(unreadable.size).toBeGreaterThan(0);
    expect(only(await runPanel("Unreadable resources"))).toBe(unreadable.size);
  });

  it("holds the page's rows with their severity, usage and time left", async () => {
    const { certificates } = await page(replicas[0]!);
    const rows = await runPanel("Certificates by time left");
    const key = (source: string, id: string, kind: string, serial: string) =>
      [source, id, kind, serial].join("/");
    const byKey = new Map(
      rows.map((row) => {
        const l = row.labels;
        return [
          key(l["source"] ?? "", l["resource_id"] ?? "", l["kind"] ?? "", l["serial_number"] ?? ""),
          row,
        ];
      }),
    );
    expect(byKey.size).toBe(rows.length);
    expect([...byKey.keys()].sort()).toEqual(
      certificates.map((c) => key(c.source, c.resourceId, c.kind, c.serialNumber)).sort(),
    );
    for (const certificate of certificates) {
      const row = byKey.get(
        key(certificate.source, certificate.resourceId, certificate.kind, certificate.serialNumber),
      )!;
      const context = `${certificate.source} ${certificate.resourceName} ${certificate.kind} ${certificate.serialNumber}`;
      expect(
        {
          severity: row.labels["severity"],
          usage: row.labels["usage"],
          name: row.labels["resource_name"],
          region: row.labels["region"],
          project: row.labels["project_id"],
          chainPosition: row.labels["chain_position"] ?? null,
        },
        context,
      ).toEqual({
        severity: certificate.severity,
        usage: certificate.usage,
        name: certificate.resourceName,
        region: certificate.region,
        project: certificate.projectId,
        chainPosition: certificate.chainPosition,
      });
      expect(Math.abs(only([row]) * DAY - certificate.secondsLeft), context).toBeLessThan(
        TOLERANCE_SECONDS,
      );
    }
    // Soonest first, as the page.
    const values = rows.map((row) => only([row]));
    expect(values).toEqual([...values].sort((x, y) => x - y));
  });

  it("shows each ELB certificate's most urgent row, its use and every listener binding", async () => {
    const { certificates } = await page(replicas[0]!);
    const elb = await runPanel("ELB certificates");
    expect(elb.map((s) => s.labels["resource_id"]).sort()).toEqual(
      scenario.elb.map((c) => c.id).sort(),
    );
    for (const certificate of scenario.elb) {
      const row = elb.find((s) => s.labels["resource_id"] === certificate.id)!;
      const pageRows = certificates.filter(
        (c) => c.source === "elb" && c.resourceId === certificate.id,
      );
      expect(
        { severity: row.labels["severity"], usage: row.labels["usage"] },
        certificate.spec.name,
      ).toEqual({
        severity: certificate.spec.expectedSeverity,
        usage: certificate.spec.listeners.length > 0 ? "in_use" : "stored",
      });
      const earliest = Math.min(...pageRows.map((c) => c.secondsLeft));
      expect(Math.abs(only([row]) * DAY - earliest), certificate.spec.name).toBeLessThan(
        TOLERANCE_SECONDS,
      );
    }

    const bindings = await runPanel("ELB listener bindings");
    const name = new Map(scenario.elb.map((c) => [c.id, c.spec.name]));
    const expected = scenario.listeners.flatMap((listener) => [
      ...(listener.defaultCertificateId === null
        ? []
        : [[listener.spec.name, "default", listener.defaultCertificateId] as const]),
      ...listener.sniCertificateIds.map((id) => [listener.spec.name, "sni", id] as const),
      ...(listener.clientCaCertificateId === null
        ? []
        : [[listener.spec.name, "client_ca", listener.clientCaCertificateId] as const]),
    ]);
    expect(
      bindings
        .map((s) =>
          [
            s.labels["listener_name"],
            s.labels["role"],
            s.labels["certificate_id"],
            s.labels["resource_name"],
          ].join(" "),
        )
        .sort(),
    ).toEqual(
      expected.map(([listener, role, id]) => [listener, role, id, name.get(id)].join(" ")).sort(),
    );
  });

  it("shows every CCM certificate's status, pending and revoked included, and its users", async () => {
    const { certificates } = await page(replicas[0]!);
    const statuses = await runPanel("CCM certificates by status");
    const expectedStatuses = new Map<string, number>();
    for (const c of scenario.ccm) {
      expectedStatuses.set(
        c.spec.expectedStatus,
        (expectedStatuses.get(c.spec.expectedStatus) ?? 0) + 1,
      );
    }
    expect(Object.fromEntries(statuses.map((s) => [s.labels["status"], only([s])]))).toEqual(
      Object.fromEntries(expectedStatuses),
    );
    expect(expectedStatuses.get("pending")).toBeGreaterThan(0);
    expect(expectedStatuses.get("revoked")).toBeGreaterThan(0);

    const table = await runPanel("CCM certificates");
    expect(table.map((s) => s.labels["certificate_id"]).sort()).toEqual(
      scenario.ccm.map((c) => c.id).sort(),
    );
    for (const certificate of scenario.ccm) {
      const row = table.find((s) => s.labels["certificate_id"] === certificate.id)!;
      const pageRow = certificates.find(
        (c) => c.source === "ccm" && c.resourceId === certificate.id,
      );
      const context = certificate.spec.name;
      expect(row.labels["status"], context).toBe(certificate.spec.expectedStatus);
      expect(row.labels["severity"], context).toBe(certificate.spec.expectedSeverity);
      expect(row.labels["usage"], context).toBe(
        pageRow?.usage ?? (certificate.spec.markedStored === true ? "stored" : "in_use"),
      );
      if (pageRow === undefined) {
        // Not issued yet: no validity, no row on the page; the panel shows it without days.
        expect(certificate.notAfter, context).toBeUndefined();
        expect(only([row]), context).toBeNaN();
      } else {
        expect(Math.abs(only([row]) * DAY - pageRow.secondsLeft), context).toBeLessThan(
          TOLERANCE_SECONDS,
        );
      }
    }

    const users = await runPanel("Where CCM certificates are deployed");
    const resourceId = (source: "elb" | "geminidb", key: string): string | undefined =>
      source === "elb"
        ? scenario.elb.find((c) => c.spec.key === key)?.id
        : scenario.geminidb.find((i) => i.spec.key === key)?.id;
    expect(
      users
        .map((s) =>
          [s.labels["certificate_id"], s.labels["source"], s.labels["resource_id"]].join(" "),
        )
        .sort(),
    ).toEqual(
      scenario.ccm
        .flatMap((c) =>
          c.spec.expectedUsedBy.map((user) =>
            [c.id, user.source, resourceId(user.source, user.key)].join(" "),
          ),
        )
        .sort(),
    );
  });

  it("names the resources the page lists as problems, and links and sources as healthy", async () => {
    const { problems } = await page(replicas[0]!);
    const unreadable = await runPanel("Resources that cannot be read");
    expect(
      unreadable
        .map((s) => [s.labels["source"], s.labels["resource_id"], s.labels["reason"]].join(" "))
        .sort(),
    ).toEqual(
      [
        ...new Set(
          problems.flatMap((p) =>
            p.resource === null ? [] : [[p.source, p.resource.id, p.reason].join(" ")],
          ),
        ),
      ].sort(),
    );

    const links = await runPanel("GeminiDB CA link health");
    expect(links.map((s) => s.labels["instance_id"]).sort()).toEqual(
      scenario.geminidb
        .filter((i) => i.caPem !== undefined)
        .map((i) => i.id)
        .sort(),
    );
    for (const link of links) expect(only([link])).toBe(1);

    const health = await runPanel("Source health");
    expect(Object.fromEntries(health.map((s) => [s.labels["source"], only([s])]))).toEqual(
      Object.fromEntries(SOURCES.map((source) => [source, 1])),
    );
  });

  it("keeps everything for the demo's region and project, and nothing for another", async () => {
    const one: VariableValues = { ...SELECTED, region: sim.region, project: sim.projectId };
    const elsewhere: VariableValues[] = [
      { ...SELECTED, region: "no-such-region" },
      { ...SELECTED, project: "no-such-project" },
    ];
    for (const { panel, target } of panelTargets) {
      const context = `${panel.title} (${target.refId})`;
      // The same series; values may move between the two queries (time left, rates).
      const [all, selected] = await Promise.all([
        runTarget(target, SELECTED),
        runTarget(target, one),
      ]);
      expect(selected.map((s) => labelSet(s.labels)).sort(), context).toEqual(
        all.map((s) => labelSet(s.labels)).sort(),
      );
    }
    for (const values of elsewhere) {
      for (const { panel, target } of panelTargets) {
        if (!filtersRegion(target)) continue;
        const context = `${panel.title} (${target.refId}) with ${values.region}/${values.project}`;
        const series = await runTarget(target, values);
        // Counts fall back to 0 (`or vector(0)`); everything else is empty.
        expect(
          series.flatMap((s) => s.values.filter((v) => v !== 0)),
          context,
        ).toEqual([]);
      }
    }
  });
});
