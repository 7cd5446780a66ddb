// `npm run bench`: the exporter at scale against the project's simulator, with every figure
// next to a baseline measured in the same run:
// - scrape latency of the daemon's /metrics vs. a plain prom-client registry holding the same
//   series (rendered per scrape) and vs. node:http serving the same bytes from a buffer;
// - wall time of a full poll vs. a minimal client issuing the same API requests at the same
//   concurrency against the same simulator (the I/O limit);
// - resident memory of the daemon process over consecutive polls;
// - politeness: the busiest second of API requests under the default rate limit.
// Writes bench/results.json. Sizes are tunable through BENCH_* variables for quick runs.
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { Gauge, Registry } from "prom-client";
import {
  exporterEnvironment,
  generateCaCertificate,
  generateChain,
  startSimulator,
  type Simulator,
} from "../src/simulator/index.js";

const gzip = promisify(gzipCallback);

const ELB_CERTIFICATES = Number(process.env["BENCH_ELB"] ?? 10_000);
const GEMINIDB_INSTANCES = Number(process.env["BENCH_GEMINIDB"] ?? 1_000);
const MEMORY_POLLS = Number(process.env["BENCH_POLLS"] ?? 100);
const SCRAPES = Number(process.env["BENCH_SCRAPES"] ?? 40);
const CONCURRENCY = 8;
const PAGE_CAP = 500;
const DAY = 86_400_000;
const MAIN = new URL("../../dist/main.js", import.meta.url);
/** `npm start`: environment assignments, then node with its flags (the container's are the same). */
const START_WORDS = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts["start"]!.split(/\s+/);
const NODE_FLAGS = START_WORDS.filter((word) => word.startsWith("--"));
const START_ENVIRONMENT = Object.fromEntries(
  START_WORDS.filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word)).map((word) => {
    const equals = word.indexOf("=");
    return [word.slice(0, equals), word.slice(equals + 1)];
  }),
);

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Seeding

async function seed(sim: Simulator): Promise<void> {
  const started = performance.now();
  const now = Date.now();
  for (let i = 0; i < ELB_CERTIFICATES; i++) {
    const chain = await generateChain({
      commonName: `svc-${String(i)}.bench.example.com`,
      notBefore: new Date(now - 30 * DAY),
      notAfter: new Date(now + ((i % 365) + 1) * DAY),
      depth: 2,
    });
    sim.elb.add({ name: `bench-${String(i)}`, certificate: chain.certificatePem });
    if (i % 2000 === 1999) log(`seeded ${String(i + 1)} ELB certificates`);
  }
  const cas = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      generateCaCertificate({
        commonName: `GeminiDB bench CA ${String(i)}`,
        notBefore: new Date(now - 100 * DAY),
        notAfter: new Date(now + (400 + i) * DAY),
      }),
    ),
  );
  for (let i = 0; i < GEMINIDB_INSTANCES; i++) {
    sim.geminidb.addInstance({
      name: `bench-db-${String(i)}`,
      ssl: "1",
      caFile: { bytes: cas[i % cas.length]!.certificatePem },
    });
  }
  log(`seeded in ${String(round((performance.now() - started) / 1000, 1))} s`);
}

// ---------------------------------------------------------------------------------------------
// The daemon as a child process (so its memory is its own)

interface DaemonProcess {
  readonly child: ChildProcess;
  readonly address: Promise<string>;
  readonly pollDurations: number[];
  /** Resolves when `count` polls have finished. */
  waitForPolls(count: number): Promise<void>;
  rssBytes(): number;
  stop(): Promise<void>;
}

function startDaemon(sim: Simulator, env: Record<string, string>): DaemonProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN.pathname], {
    env: {
      PATH: process.env["PATH"] ?? "",
      ...START_ENVIRONMENT,
      ...exporterEnvironment(sim),
      HWCERT_LISTEN_ADDRESS: "127.0.0.1:0",
      HWCERT_CONCURRENCY: String(CONCURRENCY),
      HWCERT_LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pollDurations: number[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let resolveAddress: (address: string) => void = () => undefined;
  const address = new Promise<string>((resolve) => {
    resolveAddress = resolve;
  });
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (entry["msg"] === "exporter listening") resolveAddress(String(entry["address"]));
      if (entry["msg"] === "poll finished") {
        pollDurations.push(Number(entry["durationSeconds"]));
        for (const waiter of waiters.filter((w) => pollDurations.length >= w.count)) {
          waiter.resolve();
        }
      }
    }
  });
  return {
    child,
    address,
    pollDurations,
    waitForPolls: (count) =>
      pollDurations.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    rssBytes: () => {
      const status = readFileSync(`/proc/${String(child.pid)}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return Number(kb ?? 0) * 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Scrape timing

function fetchOnce(url: string, gzipped: boolean): Promise<{ ms: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { headers: gzipped ? { "accept-encoding": "gzip" } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({ ms: performance.now() - started, bytes: Buffer.concat(chunks) });
      });
    }).on("error", reject);
  });
}

/** The daemon answers /readyz once its first poll is published. */
async function waitUntilReady(address: string): Promise<void> {
  for (;;) {
    const status = await new Promise<number>((resolve, reject) => {
      get(`http://${address}/readyz`, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on("error", reject);
    });
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function medianScrape(url: string, gzipped: boolean): Promise<number> {
  for (let i = 0; i < 3; i++) await fetchOnce(url, gzipped);
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) times.push((await fetchOnce(url, gzipped)).ms);
  return median(times);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/metrics`;
}

/** node:http serving fixed bytes: the practical lower bound of a scrape. */
async function startStaticServer(plain: Buffer): Promise<{ url: string; server: Server }> {
  const gzipped = await gzip(plain);
  const server = createServer((request, response) => {
    const wantsGzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
    const body = wantsGzip ? gzipped : plain;
    response.writeHead(200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "content-length": body.length,
      ...(wantsGzip ? { "content-encoding": "gzip" } : {}),
    });
    response.end(body);
  });
  return { url: await listen(server), server };
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** A plain prom-client registry with the daemon's hwcert_ gauges, rendered on every scrape. */
async function startNaiveServer(text: string): Promise<{ url: string; server: Server }> {
  const registry = new Registry();
  const gauges = new Map<string, Gauge>();
  for (const line of text.split("\n")) {
    const match = SAMPLE.exec(line);
    if (!match || line.startsWith("#")) continue;
    const [, name = "", labelText = "", value = "0"] = match;
    if (!name.startsWith("hwcert_") || name.endsWith("_total") || name.includes("_bucket"))
      continue;
    const labels: Record<string, string> = {};
    for (const pair of labelText.matchAll(PAIR)) {
      labels[pair[1] ?? ""] = (pair[2] ?? "").replace(/\\(.)/g, "$1");
    }
    let gauge = gauges.get(name);
    if (!gauge) {
      gauge = new Gauge({
        name,
        help: name,
        labelNames: Object.keys(labels),
        registers: [registry],
      });
      gauges.set(name, gauge);
    }
    gauge.set(labels, Number(value));
  }
  const server = createServer((request, response) => {
    void (async () => {
      const body = Buffer.from(await registry.metrics(), "utf8");
      const wantsGzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
      const sent = wantsGzip ? await gzip(body) : body;
      response.writeHead(200, {
        "content-type": registry.contentType,
        "content-length": sent.length,
        ...(wantsGzip ? { "content-encoding": "gzip" } : {}),
      });
      response.end(sent);
    })();
  });
  return { url: await listen(server), server };
}

// ---------------------------------------------------------------------------------------------
// The minimal client (bench/minimal-client.ts) in its own process

const MINIMAL_CLIENT = new URL("./minimal-client.js", import.meta.url);

/** Wall times (seconds) of `runs` minimal polls, measured while nothing else polls. */
async function minimalPolls(sim: Simulator, runs: number): Promise<number[]> {
  const input = {
    elb: sim.endpoints.elb,
    geminidb: sim.endpoints.geminidb,
    projectId: sim.projectId,
    token: sim.authToken,
    concurrency: CONCURRENCY,
    runs,
  };
  const child = spawn(process.execPath, [MINIMAL_CLIENT.pathname, JSON.stringify(input)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`minimal client exited with ${String(code)}`);
  return JSON.parse(output) as number[];
}

// ---------------------------------------------------------------------------------------------

async function politeness(sim: Simulator): Promise<{ limit: number; busiestSecond: number }> {
  sim.clearRequests();
  const daemon = startDaemon(sim, {
    HWCERT_SOURCES: "elb",
    HWCERT_POLL_SCHEDULE: "0 0 1 1 *",
    HWCERT_ELB_CERTIFICATE_IDS: sim.elb
      .list()
      .slice(0, 60)
      .map((certificate) => certificate.id)
      .join(","),
  });
  await daemon.waitForPolls(1);
  await daemon.stop();
  const times = sim.requests.filter((r) => r.service === "elb").map((r) => r.at);
  let busiest = 0;
  for (const start of times) {
    busiest = Math.max(busiest, times.filter((t) => t >= start && t < start + 1000).length);
  }
  return { limit: 10, busiestSecond: busiest };
}

async function main(): Promise<void> {
  const sim = await startSimulator({ elbPageSizeCap: PAGE_CAP, requestLogLimit: 20_000 });
  await seed(sim);

  // Before the daemon starts, so the baseline has the simulator to itself (as the daemon's
  // polls do: nothing else polls while they run).
  const minimalRuns = await minimalPolls(sim, 6);
  const minimal = median(minimalRuns.slice(1));
  log(
    `minimal client ${String(round(minimal))} s (runs: ${minimalRuns.map((s) => round(s)).join(", ")})`,
  );

  log("starting the daemon");
  const daemon = startDaemon(sim, {
    HWCERT_POLL_SCHEDULE: "* * * * * *",
    HWCERT_API_RATE_LIMIT: "0",
  });
  await daemon.waitForPolls(1);
  const firstPoll = daemon.pollDurations[0] ?? 0;
  await daemon.waitForPolls(6);
  const warmRss = daemon.rssBytes();
  log(`first poll ${String(round(firstPoll))} s`);

  const rssSamples: number[] = [];
  const pollsBefore = daemon.pollDurations.length;
  for (let i = 1; i <= MEMORY_POLLS; i++) {
    await daemon.waitForPolls(pollsBefore + i);
    rssSamples.push(daemon.rssBytes());
    if (i % 20 === 0)
      log(`${String(i)} polls, RSS ${String(round(rssSamples.at(-1)! / 2 ** 20, 1))} MiB`);
  }
  // Every poll after the first is a steady-state one: nothing changes in the simulator.
  const steadyPoll = median(daemon.pollDurations.slice(1));
  log(
    `steady poll ${String(round(steadyPoll))} s (median of ${String(daemon.pollDurations.length - 1)})`,
  );
  await daemon.stop();

  // Scrapes are timed between polls, as nearly all are in production (a poll takes about a
  // second of a schedule of minutes): a daemon that polled once at start-up and is now idle.
  // The polling daemon above would make every figure depend on when the scrape arrived.
  const scraped = startDaemon(sim, {
    HWCERT_POLL_SCHEDULE: "0 0 1 1 *",
    HWCERT_API_RATE_LIMIT: "0",
  });
  const address = await scraped.address;
  await scraped.waitForPolls(1);
  await waitUntilReady(address);
  const metricsUrl = `http://${address}/metrics`;
  const text = (await fetchOnce(metricsUrl, false)).bytes;
  const series = text
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#")).length;
  const daemonPlain = await medianScrape(metricsUrl, false);
  const daemonGzip = await medianScrape(metricsUrl, true);
  const naive = await startNaiveServer(text.toString("utf8"));
  const naivePlain = await medianScrape(naive.url, false);
  const naiveGzip = await medianScrape(naive.url, true);
  naive.server.close();
  const fixed = await startStaticServer(text);
  const staticPlain = await medianScrape(fixed.url, false);
  const staticGzip = await medianScrape(fixed.url, true);
  fixed.server.close();
  log("scrapes measured");
  await scraped.stop();

  const polite = await politeness(sim);
  await sim.close();

  const firstTenth = median(rssSamples.slice(0, Math.max(1, Math.floor(MEMORY_POLLS / 10))));
  const lastTenth = median(rssSamples.slice(-Math.max(1, Math.floor(MEMORY_POLLS / 10))));
  const mib = (bytes: number): number => round(bytes / 2 ** 20, 1);
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    scale: {
      elbCertificates: ELB_CERTIFICATES,
      x509Certificates: ELB_CERTIFICATES * 2 + GEMINIDB_INSTANCES,
      geminidbInstances: GEMINIDB_INSTANCES,
      seriesOnMetrics: series,
      metricsBytes: text.length,
    },
    scrapeMedianMs: {
      daemon: { plain: round(daemonPlain), gzip: round(daemonGzip) },
      naivePromClient: { plain: round(naivePlain), gzip: round(naiveGzip) },
      staticBuffer: { plain: round(staticPlain), gzip: round(staticGzip) },
      naiveOverDaemon: {
        plain: round(naivePlain / daemonPlain, 1),
        gzip: round(naiveGzip / daemonGzip, 1),
      },
      daemonOverStatic: {
        plain: round(daemonPlain / staticPlain, 2),
        gzip: round(daemonGzip / staticGzip, 2),
      },
    },
    pollSeconds: {
      firstPoll: round(firstPoll),
      steadyStateMedian: round(steadyPoll),
      minimalClientMedian: round(minimal),
      steadyOverMinimal: round(steadyPoll / minimal, 2),
    },
    memoryMiB: {
      afterWarmUp: mib(warmRss),
      firstTenthMedian: mib(firstTenth),
      lastTenthMedian: mib(lastTenth),
      max: mib(Math.max(...rssSamples)),
      growthPercent: round(((lastTenth - firstTenth) / firstTenth) * 100, 1),
      polls: MEMORY_POLLS,
    },
    politeness: {
      rateLimitPerSecond: polite.limit,
      busiestSecondElbRequests: polite.busiestSecond,
    },
  };
  writeFileSync(
    new URL("../../bench/results.json", import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  );

  const rows: [string, string, string, string][] = [
    ["figure", "daemon", "baseline", "ratio (target)"],
    [
      "scrape, plain (ms, median)",
      String(round(daemonPlain)),
      `naive ${String(round(naivePlain))}`,
      `${String(results.scrapeMedianMs.naiveOverDaemon.plain)}x faster (>= 10x)`,
    ],
    [
      "scrape, gzip (ms, median)",
      String(round(daemonGzip)),
      `naive ${String(round(naiveGzip))}`,
      `${String(results.scrapeMedianMs.naiveOverDaemon.gzip)}x faster (>= 10x)`,
    ],
    [
      "scrape vs static, plain",
      String(round(daemonPlain)),
      `static ${String(round(staticPlain))}`,
      `${String(results.scrapeMedianMs.daemonOverStatic.plain)}x (<= 3x)`,
    ],
    [
      "scrape vs static, gzip",
      String(round(daemonGzip)),
      `static ${String(round(staticGzip))}`,
      `${String(results.scrapeMedianMs.daemonOverStatic.gzip)}x (<= 3x)`,
    ],
    [
      "poll, steady state (s)",
      String(round(steadyPoll)),
      `minimal ${String(round(minimal))}`,
      `${String(results.pollSeconds.steadyOverMinimal)}x (<= 1.5x)`,
    ],
    ["poll, first (s)", String(round(firstPoll)), "", "parses every certificate"],
    ["RSS after warm-up (MiB)", String(mib(warmRss)), "", "(< 250)"],
    [
      `RSS over ${String(MEMORY_POLLS)} polls (MiB)`,
      `${String(mib(firstTenth))} -> ${String(mib(lastTenth))}`,
      `max ${String(mib(Math.max(...rssSamples)))}`,
      `${String(results.memoryMiB.growthPercent)} % (within 5 %)`,
    ],
    [
      "busiest second, ELB API",
      `${String(polite.busiestSecond)} req`,
      `limit ${String(polite.limit)}/s`,
      "",
    ],
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ")}\n`);
  }
  process.stdout.write(
    `\n${String(series)} series, ${String(mib(text.length))} MiB of text; ${results.machine.cpuModel}, ${String(results.machine.cpus)} cores, Node ${process.version}\n`,
  );
}

await main();
