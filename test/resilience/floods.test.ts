// Answers too large to read: a 1 GiB body and a gzip bomb that inflates to 1 GiB, from the ELB
// and GeminiDB APIs and from a CA download. The daemon stops reading at its cap (64 MiB for an
// API answer, HWCERT_DOWNLOAD_MAX_BYTES for a download), counts the failure, and its resident
// memory grows by a bounded amount; reading the whole answer grew it by gigabytes.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultAction, Operation, ServiceName } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { errorGrowth, startWorld, type World } from "./world.js";

const GiB = 1024 * 1024 * 1024;

let world: World;
let exporter: TestDaemon;

beforeAll(async () => {
  world = await startWorld();
  exporter = await startTestDaemon(world.sim, { HWCERT_HTTP_TIMEOUT_SECONDS: "10" });
  await exporter.waitForPolls(1);
});

afterAll(async () => {
  await exporter.stop();
  await world.sim.close();
});

describe("answers too large to read", () => {
  it.each<[ServiceName, Operation, FaultAction, "elb" | "geminidb", string]>([
    [
      "elb",
      "elb.listCertificates",
      { kind: "flood", bytes: GiB, declareLength: false },
      "elb",
      "api_shape",
    ],
    ["elb", "elb.listCertificates", { kind: "flood", bytes: GiB, gzip: true }, "elb", "api_shape"],
    [
      "geminidb",
      "geminidb.listInstances",
      { kind: "flood", bytes: GiB, gzip: true },
      "geminidb",
      "api_shape",
    ],
    [
      "geminidb",
      "geminidb.showDownloadLink",
      { kind: "flood", bytes: GiB, gzip: true },
      "geminidb",
      "link_api_error",
    ],
    [
      "obs",
      "obs.getObject",
      { kind: "flood", bytes: GiB, declareLength: false },
      "geminidb",
      "too_large",
    ],
    ["obs", "obs.getObject", { kind: "flood", bytes: GiB, gzip: true }, "geminidb", "too_large"],
  ])("%s %s %j: stops reading, counts %s", async (service, operation, action, source, reason) => {
    const before = await exporter.scrape();
    world.sim.faults.add({ service, match: { operation }, action });
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      await exporter.daemon.pollNow();
    } finally {
      clearInterval(sampler);
      world.sim.faults.clear();
    }
    const grown = errorGrowth(before, await exporter.scrape(), source);
    expect(grown[reason] ?? 0, JSON.stringify(grown)).toBeGreaterThanOrEqual(1);
    // Two concurrent answers of at most 64 MiB each, plus their decoding: far below 1 GiB.
    const peakMb = (peak - rss) / 1024 / 1024;
    expect(peakMb, `RSS peaked ${peakMb.toFixed(0)} MB above the start`).toBeLessThan(512);
  });
});
