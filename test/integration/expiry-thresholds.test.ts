// Per-certificate thresholds end to end: the real daemon reads HWCERT_CERTIFICATE_THRESHOLDS,
// exports hwcert_certificate_expiry_threshold_seconds for the overridden resources it found (and
// nothing for the others or for ids it did not find), and its status page judges those
// resources by their own thresholds rather than the lifetime-relative default.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateCaCertificate,
  generateChain,
  startSimulator,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, type Sample } from "../helpers/metrics-text.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const THRESHOLD = "hwcert_certificate_expiry_threshold_seconds";
const DAY = 86_400;

describe("per-certificate expiry thresholds", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  let samples: Sample[];
  const ids: Record<"weekly" | "yearly" | "plain", string> = { weekly: "", yearly: "", plain: "" };

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    // A 7-day certificate with 3 days left: the default (min(30 %, 28 d) = 2.1 d) calls it ok,
    // its own 4d/1d calls it warning.
    const weekly = await generateChain({
      commonName: "weekly.example.com",
      notBefore: new Date(now - 4 * DAY * 1000),
      notAfter: new Date(now + 3 * DAY * 1000),
    });
    ids.weekly = sim.elb.add({ name: "weekly", certificate: weekly.certificatePem });
    // Same dates, no override: stays ok.
    const plain = await generateChain({
      commonName: "plain.example.com",
      notBefore: new Date(now - 4 * DAY * 1000),
      notAfter: new Date(now + 3 * DAY * 1000),
    });
    ids.plain = sim.elb.add({ name: "plain", certificate: plain.certificatePem });
    // Both serve a listener: in use, so the thresholds decide between ok, warning and critical
    // (stored only, they would be notices at most).
    for (const id of [ids.weekly, ids.plain]) {
      sim.elb.addListener({ name: `https-${id}`, defaultTlsContainerRef: id });
    }
    // A 10-year CA with 50 days left: ok by default, critical under its own 90d/60d.
    const ca = await generateCaCertificate({
      commonName: "Yearly CA",
      notBefore: new Date(now - 3600 * DAY * 1000),
      notAfter: new Date(now + 50 * DAY * 1000),
    });
    ids.yearly = sim.geminidb.addInstance({
      name: "gemini-yearly",
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
    });
    exporter = await startTestDaemon(sim, {
      HWCERT_CERTIFICATE_THRESHOLDS: `${ids.weekly}=4d/1d,${ids.yearly}=90d/60d,not-found-anywhere=1d/1h`,
    });
    await exporter.waitForPolls(1);
    samples = await exporter.scrape();
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  it("exports each overridden resource's warning and critical time, in seconds", () => {
    const series = select(samples, THRESHOLD).map((sample) => ({
      ...sample.labels,
      value: sample.value,
    }));
    const base = { region: sim.region, project_id: sim.projectId };
    expect(series).toEqual(
      expect.arrayContaining([
        { ...base, source: "elb", resource_id: ids.weekly, severity: "warning", value: 4 * DAY },
        { ...base, source: "elb", resource_id: ids.weekly, severity: "critical", value: DAY },
        {
          ...base,
          source: "geminidb",
          resource_id: ids.yearly,
          severity: "warning",
          value: 90 * DAY,
        },
        {
          ...base,
          source: "geminidb",
          resource_id: ids.yearly,
          severity: "critical",
          value: 60 * DAY,
        },
      ]),
    );
    // Nothing for the resource without an override, nor for an id no poll found.
    expect(series).toHaveLength(4);
  });

  it("passes promtool check metrics", async ({ skip }) => {
    expect(expectPromtoolClean(await exporter.scrapeText(), skip)).toBe("");
  });

  it("judges overridden resources by their own thresholds on the status page", async () => {
    const response = await fetch(`${exporter.baseUrl}/?format=json`);
    const body = (await response.json()) as {
      certificates: {
        resourceId: string;
        chainPosition: string | null;
        severity: string;
        warningBelowDays: number;
        criticalBelowDays: number;
      }[];
    };
    // The ELB leaf rows, and the GeminiDB instance's one CA row.
    const leaf = (id: string) =>
      body.certificates.find(
        (row) => row.resourceId === id && row.chainPosition !== "intermediate",
      );
    expect(leaf(ids.weekly)).toMatchObject({
      severity: "warning",
      warningBelowDays: 4,
      criticalBelowDays: 1,
    });
    expect(leaf(ids.plain)).toMatchObject({ severity: "ok", warningBelowDays: 2.1 });
    expect(leaf(ids.yearly)).toMatchObject({
      severity: "critical",
      warningBelowDays: 90,
      criticalBelowDays: 60,
    });
  });

  it("drops a resource's threshold series when the resource disappears", async () => {
    sim.elb.remove(ids.weekly);
    await exporter.daemon.pollNow();
    const after = await exporter.scrape();
    expect(select(after, THRESHOLD, { resource_id: ids.weekly })).toHaveLength(0);
    expect(select(after, THRESHOLD, { resource_id: ids.yearly })).toHaveLength(2);
  });
});
