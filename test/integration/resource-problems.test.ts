// Per-resource problems end to end: the real daemon polls the simulator, in which an ELB
// certificate has a broken PEM, a GeminiDB instance's download-link API fails and a CCM
// certificate's details fail. Each is named in hwcert_resource_problem and on the status page,
// logged at warn once (then at debug), kept through a failed poll of its source, and gone with
// one info line at the first poll after it is fixed. hwcert_errors_total counts every poll. A
// configured ELB certificate whose details call fails keeps its last good series meanwhile.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateCaCertificate,
  generateChain,
  startSimulator,
  toOneLinePem,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf } from "../helpers/metrics-text.js";

const PROBLEM = "hwcert_resource_problem";
const DAY = 86_400_000;

interface StatusJson {
  readonly summary: Record<string, number>;
  readonly problems: readonly {
    readonly source: string;
    readonly region: string;
    readonly projectId: string;
    readonly resource: { id: string; name: string; kind: string; category: string } | null;
    readonly reason: string | null;
    readonly message: string;
  }[];
}

describe("per-resource problems over several polls", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  let goodPem: string;
  const ids = { elb: "", geminidb: "", ccm: "" };

  /** The problem log's lines about one resource. */
  const problemLines = (resourceId: string) =>
    exporter.logs.entries().filter((entry) => entry["resourceId"] === resourceId);
  const levels = (resourceId: string) =>
    problemLines(resourceId).map((entry) => `${String(entry["level"])} ${String(entry["msg"])}`);
  const status = async (): Promise<StatusJson> =>
    (await (await fetch(`${exporter.baseUrl}/?format=json`)).json()) as StatusJson;

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    const chain = await generateChain({
      commonName: "shop.example.com",
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now + 80 * DAY),
      depth: 1,
    });
    goodPem = chain.certificatePem;
    ids.elb = sim.elb.add({
      name: "broken-upload",
      // Every block's base64 broken: nothing of it is readable.
      certificate: toOneLinePem(goodPem).replaceAll(/MII[A-Za-z0-9+/]{20}/g, "!!!"),
      expireTime: new Date(now + 80 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
    const ca = await generateCaCertificate({
      commonName: "Orders CA",
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 400 * DAY),
    });
    ids.geminidb = sim.geminidb.addInstance({
      name: "orders",
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
    });
    sim.geminidb.setDownloadLinkError(ids.geminidb, { status: 500, code: "DBS.200001" });
    ids.ccm = sim.ccm.add({ name: "shop", notBefore: now - 10 * DAY, notAfter: now + 80 * DAY });
    sim.faults.add({
      service: "ccm",
      match: { operation: "ccm.showCertificate" },
      action: { kind: "status", status: 503 },
    });
    exporter = await startTestDaemon(sim, {
      HWCERT_SOURCES: "elb,geminidb,ccm",
      HWCERT_API_RATE_LIMIT: "0",
    });
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await (exporter as TestDaemon | undefined)?.stop();
    await (sim as Simulator | undefined)?.close();
  });

  it("names each unreadable resource in hwcert_resource_problem and warns once", async () => {
    const samples = await exporter.scrape();
    const labels = (id: string) =>
      select(samples, PROBLEM, { resource_id: id }).map((sample) => sample.labels);
    const where = { region: sim.region, project_id: sim.projectId };
    expect(labels(ids.elb)).toEqual([
      {
        source: "elb",
        ...where,
        resource_id: ids.elb,
        resource_name: "broken-upload",
        reason: "bad_pem",
      },
    ]);
    expect(labels(ids.geminidb)).toEqual([
      {
        source: "geminidb",
        ...where,
        resource_id: ids.geminidb,
        resource_name: "orders",
        reason: "link_api_error",
      },
    ]);
    expect(labels(ids.ccm)).toEqual([
      { source: "ccm", ...where, resource_id: ids.ccm, resource_name: "shop", reason: "http_5xx" },
    ]);
    for (const id of Object.values(ids)) expect(levels(id)).toEqual(["warn resource problem"]);
    const warning = problemLines(ids.elb)[0];
    expect(warning).toMatchObject({
      source: "elb",
      resourceName: "broken-upload",
      reason: "bad_pem",
    });
    expect(warning?.["detail"]).toMatch(/not valid base64.*no readable certificates in the PEM$/);
  });

  it("lists them on the status page's JSON with names, kinds and messages", async () => {
    const json = await status();
    expect(json.summary["resourceProblems"]).toBe(3);
    const bySource = (source: string) => json.problems.filter((entry) => entry.source === source);
    const where = { region: sim.region, projectId: sim.projectId };
    expect(bySource("elb")).toMatchObject([
      {
        ...where,
        resource: { id: ids.elb, name: "broken-upload", kind: "elb_certificate", category: "" },
        reason: "bad_pem",
      },
    ]);
    expect(bySource("elb")[0]?.message).toContain("not valid base64");
    expect(bySource("geminidb")).toMatchObject([
      {
        ...where,
        resource: { id: ids.geminidb, name: "orders", kind: "geminidb_instance" },
        reason: "link_api_error",
      },
    ]);
    expect(bySource("geminidb")[0]?.message).toMatch(
      /^CA download link unavailable: geminidb .*HTTP 500/,
    );
    expect(bySource("ccm")).toMatchObject([
      {
        ...where,
        resource: { id: ids.ccm, name: "shop", kind: "ccm_certificate", category: "" },
        reason: "http_5xx",
      },
    ]);
    expect(bySource("ccm")[0]?.message).toMatch(/^details could not be read: ccm .*HTTP 503/);
  });

  it("logs an unchanged problem at debug on later polls, and keeps counting it", async () => {
    await exporter.daemon.pollNow();
    await exporter.daemon.pollNow();
    for (const id of Object.values(ids)) {
      expect(levels(id)).toEqual([
        "warn resource problem",
        "debug resource problem unchanged",
        "debug resource problem unchanged",
      ]);
    }
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "bad_pem" })).toBe(3);
    expect(select(samples, PROBLEM)).toHaveLength(3);
  });

  it("keeps a problem through a failed poll of its source, saying nothing new", async () => {
    const fault = sim.faults.add({
      service: "elb",
      match: { operation: "elb.listCertificates" },
      action: { kind: "status", status: 503 },
    });
    await exporter.daemon.pollNow();
    sim.faults.remove(fault);
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(0);
    expect(select(samples, PROBLEM, { resource_id: ids.elb })).toHaveLength(1);
    expect(levels(ids.elb)).toHaveLength(3);
  });

  it("drops each fixed problem at the next poll with one info line", async () => {
    sim.elb.update(ids.elb, { certificate: goodPem });
    sim.geminidb.setDownloadLinkError(ids.geminidb, undefined);
    sim.faults.clear();
    await exporter.daemon.pollNow();
    await exporter.daemon.pollNow();
    const samples = await exporter.scrape();
    expect(select(samples, PROBLEM)).toEqual([]);
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
    for (const id of Object.values(ids)) {
      expect(levels(id).filter((line) => !line.startsWith("debug"))).toEqual([
        "warn resource problem",
        "info resource problem resolved",
      ]);
    }
    const json = await status();
    expect(json.problems).toEqual([]);
    expect(json.summary["resourceProblems"]).toBe(0);
  });
});

describe("a configured ELB certificate whose details call fails", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  const ids = { failing: "", fine: "" };

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    for (const key of ["failing", "fine"] as const) {
      const chain = await generateChain({
        commonName: `${key}.example.com`,
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now + 80 * DAY),
        depth: 1,
      });
      ids[key] = sim.elb.add({ name: key, certificate: chain.certificatePem });
    }
    exporter = await startTestDaemon(sim, {
      HWCERT_ELB_CERTIFICATE_IDS: `${ids.failing},${ids.fine}`,
    });
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await (exporter as TestDaemon | undefined)?.stop();
    await (sim as Simulator | undefined)?.close();
  });

  it("keeps its last good series with the failure as its problem, until a call succeeds", async () => {
    const fault = sim.faults.add({
      service: "elb",
      match: { operation: "elb.showCertificate", pathIncludes: ids.failing },
      action: { kind: "status", status: 503 },
    });
    await exporter.daemon.pollNow();
    await exporter.daemon.pollNow();
    let samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
    expect(select(samples, "hwcert_certificate_not_after_timestamp_seconds")).toHaveLength(2);
    expect(select(samples, PROBLEM).map((sample) => sample.labels)).toEqual([
      {
        source: "elb",
        region: sim.region,
        project_id: sim.projectId,
        resource_id: ids.failing,
        resource_name: "failing",
        reason: "http_5xx",
      },
    ]);
    const lines = exporter.logs.entries().filter((entry) => entry["resourceId"] === ids.failing);
    expect(lines.map((entry) => `${String(entry["level"])} ${String(entry["msg"])}`)).toEqual([
      "warn resource problem",
      "debug resource problem unchanged",
    ]);
    expect(lines[0]?.["detail"]).toMatch(/^details could not be read: elb .*HTTP 503/);

    sim.faults.remove(fault);
    await exporter.daemon.pollNow();
    samples = await exporter.scrape();
    expect(select(samples, PROBLEM)).toEqual([]);
    expect(exporter.logs.withMessage("resource problem resolved")).toMatchObject([
      { level: "info", resourceId: ids.failing, reason: "http_5xx" },
    ]);
  });
});
