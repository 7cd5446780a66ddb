// The exporter as an operator runs it: `node dist/main.js` with an environment, a .env file, a
// time zone far from UTC, a bad setting, SIGTERM in the middle of a poll, and an end that needs
// no process.exit() (nothing left open keeps Node running).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  formatSpaceSeconds,
  generateChain,
  startSimulator,
  type Simulator,
} from "../../src/simulator/index.js";
import { simulatorEnvironment } from "../helpers/daemon-harness.js";
import { spawnExporter, type ExporterProcess } from "../helpers/exporter-process.js";
import { parseMetrics, valueOf } from "../helpers/metrics-text.js";

let sim: Simulator;
let environment: Record<string, string>;
let expiresAt: number;
let certificateId: string;

beforeAll(async () => {
  sim = await startSimulator();
  const now = Date.now();
  const chain = await generateChain({
    commonName: "tz.example.com",
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 3 * 86_400_000),
  });
  expiresAt = Math.floor(chain.leaf.notAfter.getTime() / 1000);
  // The space-separated form carries no zone marker: a local-time parser would be off by hours.
  certificateId = sim.elb.add({
    name: "tz",
    certificate: chain.certificatePem,
    expireTime: formatSpaceSeconds(chain.leaf.notAfter.getTime()),
  });
  environment = Object.fromEntries(
    Object.entries(simulatorEnvironment(sim)).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
});

afterAll(async () => {
  await sim.close();
});

async function waitForMetric(address: string, name: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ready = await fetch(`http://${address}/readyz`).catch(() => null);
    if (ready?.status === 200) {
      const text = await (await fetch(`http://${address}/metrics`)).text();
      if (text.includes(name)) return text;
    }
    if (Date.now() > deadline) throw new Error(`${name} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Preloaded into the exporter: process.exit() only says it was called and exits nothing, so the
 * process ends only when no server, timer, cron task or socket is left to keep Node running.
 */
const NO_FORCED_EXIT = [
  "--import",
  `data:text/javascript,${encodeURIComponent(
    'process.exit = () => { process.stderr.write("process.exit called\\n"); };',
  )}`,
];

/** The exit code, or "SIGKILL" when the process was still running `ms` after the call. */
async function exitWithin(exporter: ExporterProcess, ms: number): Promise<number | string> {
  const timer = setTimeout(() => exporter.child.kill("SIGKILL"), ms);
  try {
    return await exporter.exited;
  } finally {
    clearTimeout(timer);
  }
}

describe("exporter process", () => {
  it("reads expire_time as UTC under TZ=Pacific/Kiritimati (UTC+14) and exits 0 on SIGTERM", async () => {
    const exporter = spawnExporter({ ...environment, TZ: "Pacific/Kiritimati" });
    const address = await exporter.listening;
    const samples = parseMetrics(
      await waitForMetric(address, "hwcert_elb_certificate_expire_timestamp_seconds"),
    );
    expect(
      valueOf(samples, "hwcert_elb_certificate_expire_timestamp_seconds", {
        certificate_id: certificateId,
      }),
    ).toBe(expiresAt);
    exporter.child.kill("SIGTERM");
    expect(await exporter.exited).toBe(0);
    expect(exporter.stdout()).toContain('"msg":"exporter stopped"');
    expect(exporter.stderr()).toBe("");
  });

  it("stops within the shutdown budget when SIGTERM arrives during a hanging poll", async () => {
    sim.faults.add({ service: "elb", action: { kind: "hang" } });
    try {
      const exporter = spawnExporter({ ...environment, HWCERT_HTTP_TIMEOUT_SECONDS: "60" });
      await exporter.listening;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      exporter.child.kill("SIGTERM");
      expect(await exporter.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(9_000);
      expect(exporter.stdout()).toContain('"msg":"aborting the running poll"');
    } finally {
      sim.faults.clear();
    }
  }, 300_000);

  it("exits by itself, without process.exit(), after SIGTERM and after check", async () => {
    const daemon = spawnExporter(environment, { nodeArgs: NO_FORCED_EXIT });
    const address = await daemon.listening;
    await waitForMetric(address, "hwcert_elb_certificate_expire_timestamp_seconds");
    daemon.child.kill("SIGTERM");
    // The server's grace for open responses is 2 s; the rest is a loaded machine's slack.
    expect(await exitWithin(daemon, 10_000)).toBe(0);
    expect(daemon.stdout()).toContain('"msg":"exporter stopped"');
    expect(daemon.stderr()).toBe("");

    const check = spawnExporter(environment, { nodeArgs: NO_FORCED_EXIT, args: ["check"] });
    // The one certificate is on no listener: only stored, so its 3 days leave the exit code 0.
    expect(await exitWithin(check, 30_000)).toBe(0);
    expect(check.stdout()).toContain("tz.example.com");
    expect(check.stderr()).toBe("");
  }, 300_000);

  it("exits 1 with one line per bad setting, naming it, and no stack trace", async () => {
    const exporter = spawnExporter({
      ...environment,
      HWCERT_REGION: "",
      HWCERT_POLL_SCHEDULE: "61 * * * *",
      HWCERT_ELB_ENDPOINT: "elb.example.com",
      HWCERT_LISTEN_ADDRESS: "localhost",
      HWCERT_TYPO: "1",
    });
    expect(await exporter.exited).toBe(1);
    expect(exporter.stderr().trimEnd().split("\n")).toEqual([
      "configuration error: HWCERT_TYPO: unknown setting (check the spelling; see config/example.env)",
      'configuration error: HWCERT_POLL_SCHEDULE: "61 * * * *" is not a valid cron expression (61 is a invalid expression for minute)',
      'configuration error: HWCERT_LISTEN_ADDRESS: "localhost" is not a listen address (expected host:port, e.g. 0.0.0.0:10057 or [::]:10057)',
      "configuration error: HWCERT_REGION: is required but not set (or list targets in HWCERT_CONFIG_FILE)",
      'configuration error: HWCERT_ELB_ENDPOINT: "elb.example.com" is not a valid URL: add the scheme, e.g. https://elb.example.com',
      "5 configuration error(s); the exporter did not start.",
    ]);
    expect(exporter.stdout()).toBe("");
  });

  it("never prints the token in a configuration error", async () => {
    const exporter = spawnExporter({ ...environment, HWCERT_PROJECT_ID: "a b" });
    expect(await exporter.exited).toBe(1);
    expect(exporter.stderr()).not.toContain(sim.authToken);
  });

  it("exits 1 naming HWCERT_LISTEN_ADDRESS when the port is taken", async () => {
    const first = spawnExporter(environment);
    const address = await first.listening;
    const second = spawnExporter({ ...environment, HWCERT_LISTEN_ADDRESS: address });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toBe(
      `start-up failed: HWCERT_LISTEN_ADDRESS: cannot listen on ${address}: address already in use (EADDRINUSE); another process holds the port — choose another HWCERT_LISTEN_ADDRESS, or stop that process\n`,
    );
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
  });

  it.each([
    [
      // TEST-NET-1 (RFC 5737): never an address of this machine.
      "192.0.2.1:10057",
      "start-up failed: HWCERT_LISTEN_ADDRESS: cannot listen on 192.0.2.1:10057: address not available (EADDRNOTAVAIL); 192.0.2.1 is not an address of this machine — use 0.0.0.0 (every interface) or one of its own addresses in HWCERT_LISTEN_ADDRESS\n",
    ],
    [
      "exporter.invalid:10057",
      "start-up failed: HWCERT_LISTEN_ADDRESS: cannot listen on exporter.invalid:10057: host name exporter.invalid not found (ENOTFOUND) — use an IP address in HWCERT_LISTEN_ADDRESS\n",
    ],
  ])(
    "exits 1 naming HWCERT_LISTEN_ADDRESS=%s when it cannot listen there",
    async (address, message) => {
      const exporter = spawnExporter({ ...environment, HWCERT_LISTEN_ADDRESS: address });
      expect(await exporter.exited).toBe(1);
      expect(exporter.stderr()).toBe(message);
    },
  );

  it("warns about an unknown region at start, then names the host it cannot reach", async () => {
    const exporter = spawnExporter({
      ...environment,
      HWCERT_REGION: "ap-southeast-9",
      HWCERT_PROJECT_ID: "",
      HWCERT_IAM_ENDPOINT: "https://iam.{region}.invalid",
      HWCERT_SOURCES: "elb",
    });
    await exporter.listening;
    const deadline = Date.now() + 20_000;
    while (!exporter.stdout().includes('"msg":"project lookup failed"')) {
      if (Date.now() > deadline) throw new Error(`no lookup failure logged:\n${exporter.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    exporter.child.kill("SIGTERM");
    expect(await exporter.exited).toBe(0);
    const lines = exporter
      .stdout()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line["msg"] === "configuration warning")).toMatchObject({
      level: "warn",
      warning:
        'HWCERT_REGION: "ap-southeast-9" is not a known Huawei Cloud region; for a private region, set HWCERT_IAM_ENDPOINT to its API hosts',
    });
    expect(lines.find((line) => line["msg"] === "project lookup failed")).toMatchObject({
      reason: "network",
      host: "iam.ap-southeast-9.invalid",
      error: {
        message:
          "iam list_projects: no response: cannot reach iam.ap-southeast-9.invalid (DNS: no such host, ENOTFOUND): check HWCERT_REGION or HWCERT_IAM_ENDPOINT",
      },
    });
  }, 300_000);

  it("loads .env from the working directory, with the environment winning", async () => {
    const folder = mkdtempSync(join(tmpdir(), "hwcert-env-"));
    const lines = Object.entries(environment).map(([key, value]) => `${key}="${value}"`);
    writeFileSync(join(folder, ".env"), `${lines.join("\n")}\nHWCERT_LOG_LEVEL=silent\n`);
    const exporter = spawnExporter(
      { HWCERT_LISTEN_ADDRESS: "127.0.0.1:0" },
      { cwd: folder, args: ["--check-config"] },
    );
    expect(await exporter.exited).toBe(0);
    expect(exporter.stdout()).toMatch(/^configuration is valid\n/);
    const broken = spawnExporter({ HWCERT_LOG_LEVEL: "chatty" }, { cwd: folder });
    expect(await broken.exited).toBe(1);
    expect(broken.stderr()).toContain('HWCERT_LOG_LEVEL: "chatty" is not a log level');
  });

  it("prints its version", async () => {
    const exporter = spawnExporter({}, { args: ["--version"] });
    expect(await exporter.exited).toBe(0);
    expect(exporter.stdout()).toMatch(/^huaweicloud-cert-exporter \d+\.\d+\.\d+\n$/);
  });
});
