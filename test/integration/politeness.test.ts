// Politeness towards the API: the per-service rate limit holds in the server's own request log,
// and throttling (429) is backed off, counted, and does not stop the poll from completing.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateChain, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startTestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf } from "../helpers/metrics-text.js";

let sim: Simulator;
const ids: string[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  const now = Date.now();
  const chain = await generateChain({
    commonName: "polite.example.com",
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 30 * 86_400_000),
  });
  for (let i = 0; i < 12; i++) {
    ids.push(sim.elb.add({ name: `polite-${String(i)}`, certificate: chain.certificatePem }));
  }
});

afterAll(async () => {
  await sim.close();
});

describe("politeness", () => {
  it("never sends more than HWCERT_API_RATE_LIMIT requests in any second", async () => {
    const exporter = await startTestDaemon(sim, {
      HWCERT_SOURCES: "elb",
      HWCERT_API_RATE_LIMIT: "4",
      HWCERT_CONCURRENCY: "8",
      HWCERT_ELB_CERTIFICATE_IDS: ids.join(","),
    });
    try {
      await exporter.waitForPolls(1, 20_000);
      const arrivals = sim.requests.filter((r) => r.service === "elb").map((r) => r.at);
      // Twelve certificate details and one listener listing.
      expect(arrivals).toHaveLength(13);
      const busiest = Math.max(
        ...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + 1000).length),
      );
      expect(busiest).toBeLessThanOrEqual(4);
      expect(
        select(await exporter.scrape(), "hwcert_elb_certificate_expire_timestamp_seconds"),
      ).toHaveLength(12);
    } finally {
      await exporter.stop();
      sim.clearRequests();
    }
  });

  it("backs off on 429, completes the poll, and counts each throttled answer", async () => {
    sim.faults.add({
      service: "elb",
      times: 2,
      action: { kind: "status", status: 429, body: "apigw", retryAfter: "1" },
    });
    const exporter = await startTestDaemon(sim, { HWCERT_SOURCES: "elb" });
    try {
      await exporter.waitForPolls(1, 20_000);
      const samples = await exporter.scrape();
      expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
      expect(
        valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "rate_limited" }),
      ).toBe(2);
      const lists = sim.requests.filter((r) => r.service === "elb");
      expect(lists.map((r) => r.status).slice(0, 3)).toEqual([429, 429, 200]);
      // Retry-After: 1 was honoured between the attempts.
      expect(lists[1]!.at - lists[0]!.at).toBeGreaterThanOrEqual(900);
    } finally {
      await exporter.stop();
      sim.faults.clear();
    }
  });
});
