// Every example of the documentation's "Example PromQL" block, run by a real Prometheus that
// scrapes TWO exporter replicas (the documented high-availability setup) and evaluates the
// shipped rules. Both replicas are real daemons polling one simulator seeded with the demo
// scenario (ELB, GeminiDB and CCM), plus a few additions so that every example whose answer can
// be non-empty within a test's minute has one (addTestResources says which).
//
// The examples are read from the markdown, so an example without an expected result fails.
// Expected results come from the scenario's data and the simulator's state (dates, ids, users,
// listeners), never from result values written here; where the scenario does not describe something
// (the simulator's shared intermediate and root CAs, owner labels) the reference is one
// replica's own /metrics, after checking that both replicas agree and carry the scenario's dates.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  seedDemoScenario,
  seedGeminiDbInstances,
  startSimulator,
  type DemoGeminiDbInstance,
  type ElbListenerInfo,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { METRICS } from "../../src/sources/index.js";
import type { TestDaemon } from "../helpers/daemon-harness.js";
import { select, type Sample } from "../helpers/metrics-text.js";
import {
  startScrapedReplicas,
  type MonitoringStack,
  type PromSample,
} from "../helpers/monitoring-stack.js";
import { ROOT, hwcertMetricNames, recordedNames, requireBinaries } from "../deploy/tools.js";

/** The markdown file that holds the examples. */
const EXAMPLES_FILE = join(ROOT, "docs", "metrics.md");

const DAY = 86_400;
/** How far a value may be from the scenario's date: query time against the test's clock. */
const TOLERANCE_SECONDS = 120;
const SOURCES = ["elb", "geminidb", "ccm"] as const;
const REPLICAS = 2;
/** The team tag of the listener the test adds; ELB certificates take their listeners' tags. */
const LISTENER_TEAM = "payments";
/** Per-resource thresholds the replicas are given, so the thresholds example has rows. */
const OVERRIDE_DAYS = {
  elb: { warningDays: 14, criticalDays: 3 },
  geminidb: { warningDays: 60, criticalDays: 20 },
} as const;

const binaries = requireBinaries(
  "Example PromQL (docs/metrics.md) (real Prometheus, two replicas)",
  ["prometheus"],
);

// ---------------------------------------------------------------------------------------------
// The examples, as the documentation prints them.

interface Example {
  /** The comment line without its `# `: what the example answers, and its key below. */
  readonly comment: string;
  readonly query: string;
}

/**
 * The examples of the first ```promql block after the "Example PromQL" heading: each is one
 * `# comment` line followed by the query's lines, up to a blank line.
 */
function readExamples(path: string): Example[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const heading = lines.findIndex((line) => /^#{2,4} Example PromQL\s*$/.test(line));
  if (heading < 0) throw new Error(`${path}: no "Example PromQL" heading`);
  const open = lines.findIndex((line, index) => index > heading && line.trim() === "```promql");
  const close = lines.findIndex((line, index) => index > open && line.trim() === "```");
  if (open < 0 || close < 0) throw new Error(`${path}: no \`\`\`promql block after the heading`);
  const examples: Example[] = [];
  let chunk: { first: number; lines: string[] } | undefined;
  const finish = (): void => {
    if (chunk === undefined) return;
    const [comment, ...query] = chunk.lines;
    const where = `${path}:${chunk.first + 1}`;
    if (comment === undefined || !comment.startsWith("# ")) {
      throw new Error(`${where}: an example starts with one "# comment" line`);
    }
    if (query.length === 0 || query.some((line) => line.trimStart().startsWith("#"))) {
      throw new Error(`${where}: one comment line, then the query's lines, then a blank line`);
    }
    examples.push({ comment: comment.slice(2).trim(), query: query.join("\n") });
    chunk = undefined;
  };
  for (let index = open + 1; index < close; index += 1) {
    const line = lines[index] ?? "";
    if (line.trim() === "") finish();
    else if (chunk === undefined) chunk = { first: index, lines: [line] };
    else chunk.lines.push(line);
  }
  finish();
  return examples;
}

const examples = readExamples(EXAMPLES_FILE);

// ---------------------------------------------------------------------------------------------
// What the examples run against, and what each must return.

/** One X.509 certificate as replica A exports it, with its details. */
interface X509Row {
  readonly labels: Readonly<Record<string, string>>;
  readonly notAfter: number;
  readonly info: Readonly<Record<string, string>>;
}

/** A resource using a CCM certificate. */
interface CcmUser {
  readonly certificateId: string;
  readonly source: "elb" | "geminidb";
  readonly resourceId: string;
  readonly resourceName: string;
}

interface World {
  readonly region: string;
  readonly projectId: string;
  readonly scenario: SeededDemoScenario;
  /** Unix seconds, taken just before the query. */
  readonly now: number;
  readonly certificates: readonly X509Row[];
  /** Owner labels of each resource (`source/resource_id`), from replica A. */
  readonly owners: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly listeners: readonly ElbListenerInfo[];
  readonly ccmUsers: readonly CcmUser[];
  readonly overrides: readonly Override[];
}

interface Override {
  readonly source: "elb" | "geminidb";
  readonly resourceId: string;
  readonly warningDays: number;
  readonly criticalDays: number;
}

interface ExpectedSeries {
  /** Labels the result series must have; `""` means the label is absent. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value?: number;
}

interface Expected {
  /** Labels that identify one series of the result; the result's set must equal `series`'. */
  readonly key: readonly string[];
  readonly series: readonly ExpectedSeries[];
  /** Allowed difference between a value and the expected one. */
  readonly tolerance: number;
  /** The result comes sorted by value, smallest first (a `sort()` example). */
  readonly ascending?: boolean;
}

const seconds = (date: Date): number => date.getTime() / 1000;
const pick = (labels: Readonly<Record<string, string>>, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, labels[name] ?? ""]));
const X509_LABELS = [...METRICS.notAfter.labelNames, "job"] as const;
const X509_KEY = ["resource_id", "serial_number"];

function boundToListener(listeners: readonly ElbListenerInfo[], certificateId: string): boolean {
  return listeners.some(
    (listener) =>
      listener.default_tls_container_ref === certificateId ||
      listener.client_ca_tls_container_ref === certificateId ||
      listener.sni_container_refs.includes(certificateId),
  );
}

/** A GeminiDB instance with SSL on, no CCM certificate and no CA file has no download link. */
const linkBroken = (spec: SeededDemoScenario["geminidb"][number]["spec"]): boolean =>
  spec.ssl === "1" && spec.ccmCertInfo === undefined && spec.caFile === undefined;

function x509Expectation(world: World, filter: (row: X509Row) => boolean): Expected {
  return {
    key: X509_KEY,
    tolerance: TOLERANCE_SECONDS,
    series: world.certificates.filter(filter).map((row) => ({
      labels: pick(row.labels, X509_LABELS),
      value: row.notAfter - world.now,
    })),
  };
}

function daysLeftWithOwner(world: World): Expected {
  return {
    key: X509_KEY,
    tolerance: TOLERANCE_SECONDS / DAY,
    series: world.certificates.map((row) => {
      const owner = world.owners.get(`${row.labels["source"]}/${row.labels["resource_id"]}`);
      if (owner === undefined) throw new Error(`no owner info for ${row.labels["resource_id"]}`);
      return {
        labels: {
          ...pick(row.labels, X509_LABELS),
          ...pick(owner, ["tag_team", "enterprise_project_name"]),
        },
        value: (row.notAfter - world.now) / DAY,
      };
    }),
  };
}

function ccmExpiringWithin(world: World, days: number) {
  return world.scenario.ccm.filter(
    (certificate) =>
      certificate.notAfter !== undefined && seconds(certificate.notAfter) - world.now < days * DAY,
  );
}

/** Each example's expected result, by its comment line. */
const EXPECTED: Readonly<Record<string, (world: World) => Expected>> = {
  "Days until each ELB certificate expires, soonest first": (world) => ({
    key: ["certificate_id"],
    ascending: true,
    tolerance: TOLERANCE_SECONDS / DAY,
    series: world.scenario.elb.map((certificate) => ({
      labels: {
        job: "huaweicloud-cert-exporter",
        region: world.region,
        project_id: world.projectId,
        certificate_id: certificate.id,
        certificate_name: certificate.spec.name,
        certificate_type: certificate.spec.type,
      },
      value: (seconds(certificate.leafNotAfter) - world.now) / DAY,
    })),
  }),

  "The earliest expiry in each certificate's chain (what breaks clients first)": (world) => {
    const earliest = new Map<string, X509Row>();
    for (const row of world.certificates) {
      const id = `${row.labels["source"]}/${row.labels["resource_id"]}`;
      const known = earliest.get(id);
      if (known === undefined || row.notAfter < known.notAfter) earliest.set(id, row);
    }
    return {
      key: ["source", "resource_id"],
      tolerance: TOLERANCE_SECONDS,
      series: [...earliest.values()].map((row) => ({
        labels: pick(row.labels, [
          "source",
          "region",
          "project_id",
          "resource_id",
          "resource_name",
        ]),
        value: row.notAfter - world.now,
      })),
    };
  },

  "Certificates expiring within 14 days, leaf or chain": (world) =>
    x509Expectation(world, (row) => row.notAfter - world.now < 14 * DAY),

  "Join details onto an expiry series": (world) => ({
    key: X509_KEY,
    tolerance: TOLERANCE_SECONDS,
    series: world.certificates.map((row) => ({
      labels: { ...pick(row.labels, X509_LABELS), ...pick(row.info, ["sans", "key_algorithm"]) },
      value: row.notAfter - world.now,
    })),
  }),

  // Both replicas poll every few seconds: nothing is stale.
  "Sources whose last successful poll is older than 15 minutes, on every replica": () => ({
    key: ["source"],
    tolerance: 0,
    series: [],
  }),

  "Failure rate by reason, all replicas together": (world) => ({
    // Rates have no value to compare: present means failing.
    key: ["source", "reason"],
    tolerance: 0,
    series: [
      ...(world.scenario.elb.some((c) => c.spec.pemForm === "broken")
        ? [{ labels: { source: "elb", reason: "bad_pem" } }]
        : []),
      ...(world.scenario.geminidb.some((instance) => linkBroken(instance.spec))
        ? [{ labels: { source: "geminidb", reason: "link_api_error" } }]
        : []),
    ],
  }),

  "GeminiDB CAs expiring within 30 days": (world) =>
    x509Expectation(
      world,
      (row) => row.labels["source"] === "geminidb" && row.notAfter - world.now < 30 * DAY,
    ),

  "GeminiDB CA links broken for 15 minutes": (world) => ({
    key: ["instance_id"],
    tolerance: 0,
    series: world.scenario.geminidb
      .filter((instance) => linkBroken(instance.spec))
      .map((instance) => ({
        labels: { instance_id: instance.id, instance_name: instance.spec.name },
        value: 0,
      })),
  }),

  "CCM certificates expiring within 30 days, with what uses them (renew them in CCM)": (world) => ({
    key: ["certificate_id", "source", "resource_id"],
    tolerance: TOLERANCE_SECONDS,
    series: ccmExpiringWithin(world, 30).flatMap((certificate) =>
      world.ccmUsers
        .filter((user) => user.certificateId === certificate.id)
        .map((user) => ({
          labels: {
            certificate_id: certificate.id,
            source: user.source,
            resource_id: user.resourceId,
            resource_name: user.resourceName,
          },
          value: seconds(certificate.notAfter!) - world.now,
        })),
    ),
  }),

  "CCM certificates no ELB certificate or GeminiDB instance uses, expiring within 30 days": (
    world,
  ) => ({
    key: ["certificate_id"],
    tolerance: TOLERANCE_SECONDS,
    series: ccmExpiringWithin(world, 30)
      .filter((certificate) => !world.ccmUsers.some((u) => u.certificateId === certificate.id))
      .map((certificate) => ({
        labels: {
          certificate_id: certificate.id,
          certificate_name: certificate.spec.name,
          domain: certificate.spec.domain,
        },
        value: seconds(certificate.notAfter!) - world.now,
      })),
  }),

  "CCM certificates still pending (ordered or in review) or revoked": (world) => ({
    key: ["certificate_id", "status"],
    tolerance: 0,
    series: world.scenario.ccm
      .filter((c) => c.spec.expectedStatus === "pending" || c.spec.expectedStatus === "revoked")
      .map((c) => ({ labels: { certificate_id: c.id, status: c.spec.expectedStatus }, value: 1 })),
  }),

  "Expiring certificates that serve traffic: within 14 days and used by at least one listener": (
    world,
  ) => ({
    key: ["certificate_id"],
    tolerance: TOLERANCE_SECONDS,
    series: world.scenario.elb
      .filter(
        (certificate) =>
          seconds(certificate.leafNotAfter) - world.now < 14 * DAY &&
          boundToListener(world.listeners, certificate.id),
      )
      .map((certificate) => ({
        labels: { certificate_id: certificate.id, certificate_name: certificate.spec.name },
        value: seconds(certificate.leafNotAfter) - world.now,
      })),
  }),

  "Days left of every certificate, with its owner's team and enterprise project": daysLeftWithOwner,

  "The same from the shipped recording rules, which keep one owner per resource if replicas disagree":
    daysLeftWithOwner,

  "Resources with their own alert thresholds, in days": (world) => ({
    key: ["resource_id", "severity"],
    tolerance: 1e-9,
    series: world.overrides.flatMap((override) =>
      (["warning", "critical"] as const).map((severity) => ({
        labels: { source: override.source, resource_id: override.resourceId, severity },
        value: severity === "warning" ? override.warningDays : override.criticalDays,
      })),
    ),
  }),
};

// ---------------------------------------------------------------------------------------------

const keyOf = (labels: Readonly<Record<string, string>>, names: readonly string[]): string =>
  JSON.stringify(names.map((name) => labels[name] ?? ""));
const labelSet = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe("Example PromQL (docs/metrics.md): the block", () => {
  it("holds examples, each with an expected result here, and no expectation without its example", () => {
    expect(examples.length).toBeGreaterThan(0);
    const comments = examples.map((example) => example.comment);
    expect(new Set(comments).size, "two examples share a comment").toBe(comments.length);
    expect(comments.filter((comment) => EXPECTED[comment] === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED).filter((comment) => !comments.includes(comment))).toEqual([]);
  });
});

describe.skipIf(binaries.skip)(
  "Example PromQL (docs/metrics.md) against two exporter replicas",
  () => {
    const started = Date.now();
    const cleanups: (() => Promise<void> | void)[] = [];
    let sim: Simulator;
    let scenario: SeededDemoScenario;
    const replicas: TestDaemon[] = [];
    let stack: MonitoringStack;
    let reference: Sample[];
    let certificates: X509Row[];
    let owners: Map<string, Record<string, string>>;
    let overrides: Override[];
    let boundCertificateId: string;

    beforeAll(async () => {
      sim = await startSimulator();
      cleanups.push(() => sim.close());
      const seeded = await seedDemoScenario(sim, Date.now());

      const added = await addTestResources(sim, seeded);
      scenario = added.scenario;
      boundCertificateId = added.boundCertificateId;

      const elbOverride = scenario.elb[0];
      const geminidbOverride = scenario.geminidb.find((instance) => instance.caPem !== undefined);
      if (elbOverride === undefined || geminidbOverride === undefined) {
        throw new Error("the scenario has no ELB certificate or no GeminiDB CA to give thresholds");
      }
      overrides = [
        { source: "elb", resourceId: elbOverride.id, ...OVERRIDE_DAYS.elb },
        { source: "geminidb", resourceId: geminidbOverride.id, ...OVERRIDE_DAYS.geminidb },
      ];

      const scraped = await startScrapedReplicas(sim, {
        count: REPLICAS,
        sources: SOURCES.length,
        environment: {
          HWCERT_SOURCES: SOURCES.join(","),
          HWCERT_OWNER_TAGS: "team",
          HWCERT_ENTERPRISE_PROJECT_NAMES: "true",
          HWCERT_CERTIFICATE_THRESHOLDS: overrides
            .map((o) => `${o.resourceId}=${o.warningDays}d/${o.criticalDays}d`)
            .join(","),
        },
        prometheusBinary: binaries.path("prometheus"),
      });
      cleanups.push(() => scraped.stop());
      replicas.push(...scraped.replicas);
      stack = scraped.stack;

      reference = await replicas[0]!.scrape();
      const infos = select(reference, "hwcert_certificate_info");
      certificates = select(reference, "hwcert_certificate_not_after_timestamp_seconds").map(
        (sample) => ({
          labels: { ...sample.labels, job: "huaweicloud-cert-exporter" },
          notAfter: sample.value,
          info:
            infos.find(
              (info) =>
                info.labels["resource_id"] === sample.labels["resource_id"] &&
                info.labels["serial_number"] === sample.labels["serial_number"],
            )?.labels ?? {},
        }),
      );
      owners = new Map(
        select(reference, "hwcert_resource_owner_info").map((sample) => [
          `${sample.labels["source"]}/${sample.labels["resource_id"]}`,
          { ...sample.labels },
        ]),
      );
    }, 300_000);

    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      console.log(
        `README PromQL examples: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`,
      );
    });

    it("runs two replicas that export the same certificates, with the scenario's dates", async () => {
      const other = await replicas[1]!.scrape();
      const polled = (samples: readonly Sample[]) =>
        samples
          .filter(
            (s) =>
              s.name.startsWith("hwcert_certificate_") ||
              s.name.startsWith("hwcert_ccm_") ||
              s.name === "hwcert_resource_owner_info",
          )
          .map((s) => `${s.name}${labelSet(s.labels)} ${s.value}`)
          .sort();
      expect(polled(other)).toEqual(polled(reference));

      const rowsOf = (resourceId: string) =>
        certificates.filter((row) => row.labels["resource_id"] === resourceId);
      for (const certificate of scenario.elb.filter((c) => c.earliestNotAfter !== undefined)) {
        const rows = rowsOf(certificate.id);
        const shape = certificate.spec.shape;
        const leaf = rows.find(
          (row) =>
            row.labels["chain_position"] === (shape === "leaf" || shape === "ca" ? "root" : "leaf"),
        );
        expect(leaf?.notAfter, certificate.spec.key).toBe(seconds(certificate.leafNotAfter));
        expect(leaf?.info["key_algorithm"], certificate.spec.key).toBe(
          certificate.spec.keyAlgorithm,
        );
        expect(Math.min(...rows.map((row) => row.notAfter)), certificate.spec.key).toBe(
          seconds(certificate.earliestNotAfter!),
        );
      }
      for (const instance of scenario.geminidb.filter((i) => i.caNotAfter !== undefined)) {
        expect(rowsOf(instance.id).map((row) => row.notAfter)).toEqual([
          seconds(instance.caNotAfter!),
        ]);
      }
      // The listener's team tag reaches the certificate it serves.
      expect(owners.get(`elb/${boundCertificateId}`)?.["tag_team"]?.split(",")).toContain(
        LISTENER_TEAM,
      );
    });

    it.each(examples)("$comment", async (example) => {
      const expectation = EXPECTED[example.comment];
      if (expectation === undefined) {
        throw new Error(`no expected result for this example: add one to EXPECTED`);
      }

      // Every series the example reads exists, on both replicas for the exporter's own.
      for (const name of hwcertMetricNames(example.query)) {
        const instances = await stack.query(`count by (instance) ({__name__="${name}"})`);
        expect(instances.length, `${name} scraped from both replicas`).toBe(REPLICAS);
      }
      for (const name of recordedNames(example.query)) {
        expect((await stack.query(name)).length, `${name} recorded`).toBeGreaterThan(0);
      }

      const now = Date.now() / 1000;
      const result: PromSample[] = await stack.query(example.query);
      const expected = expectation({
        region: sim.region,
        projectId: sim.projectId,
        scenario,
        now,
        certificates,
        owners,
        listeners: sim.elb.listListeners(),
        ccmUsers: ccmUsersOf(scenario),
        overrides,
      });

      // One series per thing, whatever the number of replicas.
      for (const sample of result) {
        expect(sample.metric["instance"], JSON.stringify(sample.metric)).toBeUndefined();
        expect(sample.metric["pod"], JSON.stringify(sample.metric)).toBeUndefined();
      }
      const sets = result.map((sample) => labelSet(sample.metric));
      expect(new Set(sets).size, "duplicate label sets").toBe(sets.length);

      const byKey = new Map(result.map((sample) => [keyOf(sample.metric, expected.key), sample]));
      expect(byKey.size, `one series per ${expected.key.join(", ")}`).toBe(result.length);
      expect([...byKey.keys()].sort()).toEqual(
        expected.series.map((series) => keyOf(series.labels, expected.key)).sort(),
      );
      for (const series of expected.series) {
        const sample = byKey.get(keyOf(series.labels, expected.key))!;
        const context = `${example.comment}: ${JSON.stringify(sample.metric)}`;
        for (const [name, value] of Object.entries(series.labels)) {
          expect(sample.metric[name] ?? "", `${context} ${name}`).toBe(value);
        }
        if (series.value !== undefined) {
          expect(
            Math.abs(sample.value - series.value),
            `${context} = ${sample.value}`,
          ).toBeLessThanOrEqual(expected.tolerance);
        }
      }
      if (expected.ascending === true) {
        const values = result.map((sample) => sample.value);
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
    });
  },
);

/**
 * What the test adds to the demo scenario so every example has a positive case, whatever the
 * scenario holds: a listener with a team tag on the soonest-expiring valid ELB server
 * certificate; GeminiDB instances with a CA that expires within days, with SSL on but no CA
 * file (no download link), and using the earliest-expiring CCM certificate nothing uses (the
 * next one stays unused). Returns the scenario with the added instances.
 */
async function addTestResources(
  sim: Simulator,
  seeded: SeededDemoScenario,
): Promise<{ scenario: SeededDemoScenario; boundCertificateId: string }> {
  const anchor = seeded.now.getTime();

  const soonest = seeded.elb
    .filter((c) => c.spec.type === "server" && c.leafNotAfter.getTime() > anchor)
    .sort((a, b) => a.leafNotAfter.getTime() - b.leafNotAfter.getTime())[0];
  if (soonest === undefined) throw new Error("the scenario has no valid ELB server certificate");
  sim.elb.addListener({
    name: "promql-examples-https",
    defaultTlsContainerRef: soonest.id,
    tags: [{ key: "team", value: LISTENER_TEAM }],
  });

  const unusedCcm = seeded.ccm
    .filter(
      (c) => c.notAfter !== undefined && !ccmUsersOf(seeded).some((u) => u.certificateId === c.id),
    )
    .sort((a, b) => a.notAfter!.getTime() - b.notAfter!.getTime())[0];
  const specs: DemoGeminiDbInstance[] = [
    {
      key: "test-expiring-ca",
      name: "billing-cassandra",
      datastore: { type: "cassandra", version: "3.11" },
      mode: "Cluster",
      ssl: "1",
      caFile: { commonName: "Billing CA", notBeforeDays: -355, notAfterDays: 10 },
    },
    {
      key: "test-no-ca-link",
      name: "audit-cassandra",
      datastore: { type: "cassandra", version: "3.11" },
      mode: "Cluster",
      ssl: "1",
    },
    ...(unusedCcm === undefined
      ? []
      : [
          {
            key: "test-uses-expiring-ccm",
            name: "reports-mongodb",
            datastore: { type: "mongodb", version: "4.0" },
            mode: "ReplicaSet",
            ssl: "1" as const,
            ccmCertInfo: { certId: unusedCcm.id, certType: "SSL" },
          },
        ]),
  ];
  const geminidb = await seedGeminiDbInstances(sim, specs, anchor);
  return {
    scenario: { ...seeded, geminidb: [...seeded.geminidb, ...geminidb] },
    boundCertificateId: soonest.id,
  };
}

/** The resources that use a CCM certificate: ELB certificates managed in CCM, GeminiDB instances. */
function ccmUsersOf(scenario: SeededDemoScenario): CcmUser[] {
  return [
    ...scenario.elb.flatMap((c) =>
      c.spec.scmCertificateId === undefined
        ? []
        : [
            {
              certificateId: c.spec.scmCertificateId,
              source: "elb" as const,
              resourceId: c.id,
              resourceName: c.spec.name,
            },
          ],
    ),
    ...scenario.geminidb.flatMap((instance) =>
      instance.spec.ccmCertInfo === undefined
        ? []
        : [
            {
              certificateId: instance.spec.ccmCertInfo.certId,
              source: "geminidb" as const,
              resourceId: instance.id,
              resourceName: instance.spec.name,
            },
          ],
    ),
  ];
}
