// A bounded soak: 500 polls of both sources in quick succession with faults mixed in (errors,
// resets, cut bodies, wrong shapes, timeouts, throttling) and a scrape every tenth poll, while
// the heap (after forced garbage collection), open file descriptors and active handles and
// timers are sampled. A leak of a socket, timer, listener, parsed bundle or log line per poll
// would show as steady growth; the bounds below leave room for noise, not for that.

import { readdirSync } from "node:fs";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import type { FaultRule } from "../../src/simulator/index.js";
import { startTestDaemon } from "../helpers/daemon-harness.js";
import { valueOf } from "../helpers/metrics-text.js";
import { startWorld } from "./world.js";

const POLLS = 500;
const WARM_UP = 100;
const SAMPLE_EVERY = 40;
/** Resources per source: each poll lists, parses and downloads this many. */
const RESOURCES = 8;
/** Heap spaces of JavaScript objects; code and trusted spaces only grow with JIT warm-up. */
const DATA_SPACES = new Set([
  "new_space",
  "old_space",
  "large_object_space",
  "new_large_object_space",
]);

/** Node's gc(), exposed at run time when the worker was not started with --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

interface Sample {
  readonly poll: number;
  readonly heapUsed: number;
  /** Bytes used by JavaScript objects (heapUsed without compiled code). */
  readonly objects: number;
  readonly fds: number;
  readonly resources: Readonly<Record<string, number>>;
}

/** Faults cycled through, one every few polls; `times` keeps each to a poll or two. */
const FAULTS: readonly FaultRule[] = [
  { service: "elb", times: 3, action: { kind: "status", status: 503 } },
  { service: "geminidb", times: 1, action: { kind: "reset" } },
  { service: "obs", times: 2, action: { kind: "truncate", mode: "destroy" } },
  {
    service: "geminidb",
    match: { operation: "geminidb.showDownloadLink" },
    times: 3,
    action: { kind: "status", status: 429, retryAfter: "0" },
  },
  { service: "elb", times: 1, action: { kind: "json", body: { certificates: "x" } } },
  { service: "obs", times: 1, action: { kind: "hang" } },
  { service: "elb", times: 1, action: { kind: "truncate", mode: "end" } },
  { service: "geminidb", times: 3, action: { kind: "status", status: 502, body: "html" } },
  { service: "obs", times: 1, action: { kind: "status", status: 500 } },
  { service: "geminidb", times: 2, action: { kind: "json", body: { certs: null } } },
];

it("holds memory, descriptors, sockets and timers flat over 500 polls with faults", async () => {
  const gc = exposeGc();
  const world = await startWorld();
  const { sim } = world;
  const pem = sim.elb.list()[0]!.certificate;
  for (let i = world.elbIds.length; i < RESOURCES; i++) {
    sim.elb.add({ name: `soak-${i}`, certificate: pem });
    sim.geminidb.addInstance({
      name: `soak-${i}`,
      ssl: "1",
      caFile: { bytes: world.cas[i % world.cas.length]!.certificatePem },
    });
  }
  const exporter = await startTestDaemon(sim, {
    // Short enough that the hanging download costs little, long enough that no healthy call
    // times out on a busy machine (the last poll must find both sources up).
    HWCERT_HTTP_TIMEOUT_SECONDS: "1",
    HWCERT_API_RATE_LIMIT: "0",
    HWCERT_LOG_LEVEL: "info",
  });
  const samples: Sample[] = [];
  const measure = (poll: number): void => {
    // Drop what the test itself keeps: captured log lines and the simulator's request log.
    exporter.logs.lines.splice(0);
    sim.clearRequests();
    sim.obs.clearPresignedUrls();
    gc();
    gc();
    const resources: Record<string, number> = {};
    for (const name of process.getActiveResourcesInfo())
      resources[name] = (resources[name] ?? 0) + 1;
    samples.push({
      poll,
      heapUsed: process.memoryUsage().heapUsed,
      objects: getHeapSpaceStatistics()
        .filter((space) => DATA_SPACES.has(space.space_name))
        .reduce((sum, space) => sum + space.space_used_size, 0),
      fds: readdirSync("/proc/self/fd").length,
      resources,
    });
  };
  let faulted = 0;
  try {
    await exporter.waitForPolls(1);
    for (let poll = 1; poll <= POLLS; poll++) {
      if (poll % 7 === 0) sim.faults.add(FAULTS[faulted++ % FAULTS.length]!);
      // Every poll completes: none is skipped or hangs.
      expect(await exporter.daemon.pollNow()).toBe("completed");
      if (poll % 10 === 0) await exporter.scrapeText();
      if (poll === WARM_UP || (poll > WARM_UP && (poll - WARM_UP) % SAMPLE_EVERY === 0)) {
        sim.faults.clear();
        // One clean poll before sampling, so no fault's connection is still open.
        await exporter.daemon.pollNow();
        measure(poll);
      }
    }
    const last = await exporter.scrape();
    expect(valueOf(last, "hwcert_source_up", { source: "elb" })).toBe(1);
    expect(valueOf(last, "hwcert_source_up", { source: "geminidb" })).toBe(1);
    expect(valueOf(last, "hwcert_poll_duration_seconds_count")).toBeGreaterThan(POLLS);
  } finally {
    await exporter.stop();
    await sim.close();
  }

  const first = samples[0]!;
  const final = samples.at(-1)!;
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);
  console.log(
    "soak samples (poll: heap MB, objects MB, fds, resources):\n" +
      samples
        .map(
          (s) =>
            `  ${s.poll}: ${mb(s.heapUsed)} MB, ${mb(s.objects)} MB, ${s.fds} fds, ${JSON.stringify(s.resources)}`,
        )
        .join("\n"),
  );
  expect(faulted).toBeGreaterThan(60);
  // Heap: the least-squares slope of the object spaces over the samples, in bytes per poll.
  // Leaking one AbortSignal per download (as AbortSignal.any did) gave 2.8 KB per poll here,
  // the fixed code 0.3 KB; the bound leaves room for noise, not for a leak per download.
  const slope = leastSquaresSlope(samples.map((s) => [s.poll, s.objects]));
  console.log(`heap slope: ${(slope / 1024).toFixed(2)} KB per poll`);
  expect(slope / 1024).toBeLessThan(1.2);
  // Descriptors and handles: a leaked socket or timer per poll would add hundreds.
  expect(final.fds - first.fds).toBeLessThanOrEqual(4);
  for (const [name, count] of Object.entries(final.resources)) {
    expect(count - (first.resources[name] ?? 0), name).toBeLessThanOrEqual(4);
  }
}, 300_000);

function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return numerator / denominator;
}
