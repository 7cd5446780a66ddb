// Ownership labels end to end: hwcert_resource_owner_info names each resource's enterprise
// project and the configured tags (ELB certificates through the listeners that use them, GeminiDB
// instances through their tags API), re-reads tags at most hourly, and never lets a failing tag
// read fail the source.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateCaCertificate,
  generateChain,
  startSimulator,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf } from "../helpers/metrics-text.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const OWNER = "hwcert_resource_owner_info";
const DAY_MS = 86_400_000;

describe("resource owner labels", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  const ids = { shop: "", shared: "", spare: "", orders: "", cache: "" };
  const tagCalls = (): number =>
    sim.requests.filter((request) => request.path.endsWith("/tags")).length;

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    const pem = async (name: string): Promise<string> =>
      (
        await generateChain({
          commonName: `${name}.example.com`,
          notBefore: new Date(now - DAY_MS),
          notAfter: new Date(now + 60 * DAY_MS),
        })
      ).certificatePem;
    ids.shop = sim.elb.add({
      name: "shop",
      certificate: await pem("shop"),
      enterpriseProjectId: "ep-shop",
    });
    ids.shared = sim.elb.add({ name: "shared", certificate: await pem("shared") });
    ids.spare = sim.elb.add({ name: "spare", certificate: await pem("spare") });
    sim.elb.addListener({
      name: "shop-443",
      defaultTlsContainerRef: ids.shop,
      sniContainerRefs: [ids.shared],
      tags: [
        { key: "team", value: "payments" },
        { key: "env", value: "prod" },
        { key: "unrelated", value: "ignored" },
      ],
    });
    sim.elb.addListener({
      name: "search-443",
      defaultTlsContainerRef: ids.shared,
      tags: [{ key: "team", value: "search" }],
    });
    const ca = await generateCaCertificate({
      commonName: "GeminiDB CA",
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 900 * DAY_MS),
    });
    ids.orders = sim.geminidb.addInstance({
      name: "orders",
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
      enterpriseProjectId: "ep-data",
      tags: [
        { key: "team", value: "data" },
        { key: "cost-center", value: "cc-42" },
      ],
    });
    ids.cache = sim.geminidb.addInstance({ name: "cache", ssl: "0" });
    // The first poll's tag read of `cache` fails; everything else must not notice.
    sim.faults.add({
      service: "geminidb",
      match: {
        operation: "geminidb.listInstanceTags",
        pathIncludes: `/instances/${ids.cache}/tags`,
      },
      action: { kind: "status", status: 503 },
      times: 3,
    });
    exporter = await startTestDaemon(sim, { HWCERT_OWNER_TAGS: "team, env,cost-center" });
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  const owner = (
    source: string,
    resourceId: string,
    enterpriseProjectId: string,
    tags: { team?: string; env?: string; costCenter?: string } = {},
  ) => ({
    source,
    region: sim.region,
    project_id: sim.projectId,
    resource_id: resourceId,
    enterprise_project_id: enterpriseProjectId,
    enterprise_project_name: "",
    tag_team: tags.team ?? "",
    tag_env: tags.env ?? "",
    tag_cost_center: tags.costCenter ?? "",
  });

  it("labels each resource with its enterprise project and configured tags", async () => {
    const samples = await exporter.scrape();
    const series = select(samples, OWNER).map((sample) => {
      expect(sample.value).toBe(1);
      return sample.labels;
    });
    expect(series).toHaveLength(5);
    expect(series).toEqual(
      expect.arrayContaining([
        owner("elb", ids.shop, "ep-shop", { team: "payments", env: "prod" }),
        // Used by two listeners of two teams: both named.
        owner("elb", ids.shared, "0", { team: "payments,search", env: "prod" }),
        // Stored only: no listener, so no tags.
        owner("elb", ids.spare, "0"),
        owner("geminidb", ids.orders, "ep-data", { team: "data", costCenter: "cc-42" }),
        // Its tag read failed: labelled without tags, still listed.
        owner("geminidb", ids.cache, "0"),
      ]),
    );
  });

  it("counts a failed tag read without failing the source", async () => {
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "geminidb" })).toBe(1);
    expect(
      valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason: "http_5xx" }),
    ).toBe(1);
  });

  it("passes promtool check metrics", async ({ skip }) => {
    expect(expectPromtoolClean(await exporter.scrapeText(), skip)).toBe("");
  });

  it("re-reads only tags it could not read, not the fresh ones", async () => {
    sim.faults.clear();
    const before = tagCalls();
    await exporter.daemon.pollNow();
    // Only `cache`, whose read failed, is asked again within the hour.
    expect(tagCalls() - before).toBe(1);
    const samples = await exporter.scrape();
    expect(select(samples, OWNER, { resource_id: ids.cache })).toHaveLength(1);
    await exporter.daemon.pollNow();
    expect(tagCalls() - before).toBe(1);
  });

  it("follows listener tag changes at the next poll", async () => {
    sim.elb.addListener({
      name: "spare-443",
      defaultTlsContainerRef: ids.spare,
      tags: [{ key: "team", value: "platform" }],
    });
    await exporter.daemon.pollNow();
    const samples = await exporter.scrape();
    expect(select(samples, OWNER, { resource_id: ids.spare })[0]?.labels).toEqual(
      owner("elb", ids.spare, "0", { team: "platform" }),
    );
  });
});

describe("resource owner labels without HWCERT_OWNER_TAGS", () => {
  it("labels the enterprise project only and reads no tags", async () => {
    const sim = await startSimulator();
    const ca = await generateCaCertificate({
      commonName: "GeminiDB CA",
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 900 * DAY_MS),
    });
    const id = sim.geminidb.addInstance({
      name: "orders",
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
      enterpriseProjectId: "ep-data",
      tags: [{ key: "team", value: "data" }],
    });
    const exporter = await startTestDaemon(sim);
    try {
      await exporter.waitForPolls(1);
      const samples = await exporter.scrape();
      expect(select(samples, OWNER).map((sample) => sample.labels)).toEqual([
        {
          source: "geminidb",
          region: sim.region,
          project_id: sim.projectId,
          resource_id: id,
          enterprise_project_id: "ep-data",
          enterprise_project_name: "",
        },
      ]);
      expect(sim.requests.filter((request) => request.path.endsWith("/tags"))).toHaveLength(0);
    } finally {
      await exporter.stop();
      await sim.close();
    }
  });
});

describe("enterprise project names", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  const ids = { shop: "", orders: "" };
  const epsCalls = (): number =>
    sim.requests.filter((request) => request.path.endsWith("/v1.0/enterprise-projects")).length;

  beforeAll(async () => {
    sim = await startSimulator();
    sim.iam.enterpriseProjects = [
      { id: "0", name: "default" },
      { id: "ep-shop", name: "Shop" },
      { id: "ep-data", name: "Data platform" },
    ];
    const now = Date.now();
    ids.shop = sim.elb.add({
      name: "shop",
      enterpriseProjectId: "ep-shop",
      certificate: (
        await generateChain({
          commonName: "shop.example.com",
          notBefore: new Date(now - DAY_MS),
          notAfter: new Date(now + 60 * DAY_MS),
        })
      ).certificatePem,
    });
    const ca = await generateCaCertificate({
      commonName: "GeminiDB CA",
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 900 * DAY_MS),
    });
    ids.orders = sim.geminidb.addInstance({
      name: "orders",
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
      enterpriseProjectId: "ep-unknown",
    });
    // Reads fail until the second test: names stay empty, nothing else suffers.
    sim.faults.add({
      service: "iam",
      match: { operation: "eps.listEnterpriseProjects" },
      action: { kind: "status", status: 403 },
    });
    exporter = await startTestDaemon(sim, { HWCERT_ENTERPRISE_PROJECT_NAMES: "true" });
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  const names = async (): Promise<Record<string, string | undefined>> =>
    Object.fromEntries(
      select(await exporter.scrape(), OWNER).map((sample): [string, string | undefined] => [
        sample.labels["resource_id"] ?? "",
        sample.labels["enterprise_project_name"],
      ]),
    );

  it("keeps serving everything when the names cannot be read, and counts it", async () => {
    expect(await names()).toEqual({ [ids.shop]: "", [ids.orders]: "" });
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
    expect(valueOf(samples, "hwcert_source_up", { source: "geminidb" })).toBe(1);
    const forbidden = ["elb", "geminidb"].map((source) =>
      valueOf(samples, "hwcert_errors_total", { source, reason: "forbidden" }),
    );
    // Each failed listing is counted once, against the source that asked for it: one shared by
    // both sources, or one each when they asked one after the other.
    expect(forbidden[0]! + forbidden[1]!).toBeGreaterThanOrEqual(1);
    expect(forbidden[0]! + forbidden[1]!).toBeLessThanOrEqual(2);
  });

  it("names each resource's enterprise project once the listing works, read at most hourly", async () => {
    sim.faults.clear();
    await exporter.daemon.pollNow();
    expect(await names()).toEqual({ [ids.shop]: "Shop", [ids.orders]: "" });
    const calls = epsCalls();
    await exporter.daemon.pollNow();
    expect(epsCalls()).toBe(calls);
  });
});
