// A poll of an unchanged cloud changes nothing: every source hands back its previous resource map
// (and ELB its previous listener bindings), the objects the metrics renderer reuses text by. Only
// the GeminiDB download timings, a measurement kept apart from the instances, are new.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceSnapshot } from "../../src/sources/index.js";
import { seedDemoScenario, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";

function resourcesOf(source: SourceSnapshot): ReadonlyMap<string, unknown> {
  return source.source === "geminidb" ? source.instances : source.certificates;
}

describe("a steady-state poll", () => {
  let sim: Simulator;
  let exporter: TestDaemon;

  beforeAll(async () => {
    sim = await startSimulator();
    await seedDemoScenario(sim, Date.now());
    exporter = await startTestDaemon(sim, {
      HWCERT_SOURCES: "elb,geminidb,ccm",
      HWCERT_OWNER_TAGS: "team",
    });
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  it("hands back every source's previous resources and bindings", async () => {
    expect(await exporter.daemon.pollNow()).toBe("completed");
    const before = exporter.daemon.poller.snapshot.sources as readonly SourceSnapshot[];
    expect(await exporter.daemon.pollNow()).toBe("completed");
    const after = exporter.daemon.poller.snapshot.sources as readonly SourceSnapshot[];

    expect(after.map((source) => [source.source, source.up])).toEqual([
      ["elb", true],
      ["geminidb", true],
      ["ccm", true],
    ]);
    for (const [index, source] of after.entries()) {
      const last = before[index] as SourceSnapshot;
      expect(resourcesOf(source).size).toBeGreaterThan(0);
      expect(resourcesOf(source)).toBe(resourcesOf(last));
      if (source.source === "elb" && last.source === "elb") {
        expect(source.listenerBindings).toBeDefined();
        expect(source.listenerBindings).toBe(last.listenerBindings);
      }
      if (source.source === "geminidb" && last.source === "geminidb") {
        expect(source.linkDurations).not.toBe(last.linkDurations);
      }
    }
  });
});
