// The command line as cron jobs, pipelines and operators use it: `node dist/main.js check`
// against the simulator, its exit code compared with the certificates' real expiry, its table
// and JSON, the progress line on a terminal, `config check`, `--version` and every --help.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  generateChain,
  startSimulator,
  toOneLinePem,
  type Simulator,
} from "../../src/simulator/index.js";
import { simulatorEnvironment } from "../helpers/daemon-harness.js";
import { PROJECT_ROOT, spawnExporter } from "../helpers/exporter-process.js";

const DAY_MS = 86_400_000;

interface Row {
  readonly severity: string;
  readonly usage: string;
  readonly daysLeft: number;
  readonly resourceName: string;
  readonly kind: string;
  readonly chainPosition: string | null;
}

interface CheckJson {
  readonly check: {
    exitCode: number;
    status: string;
    limits: "alert-rules" | "fixed-days";
    warnDays: number | null;
    criticalDays: number | null;
    includeStored: boolean;
  };
  readonly certificates: readonly Row[];
  readonly problems: readonly { source: string; reason: string | null }[];
}

let sim: Simulator;
let environment: Record<string, string>;

beforeAll(async () => {
  sim = await startSimulator();
  const settings: Record<string, string | undefined> = {
    ...simulatorEnvironment(sim),
    HWCERT_LOG_LEVEL: "info",
    HWCERT_HTTP_TIMEOUT_SECONDS: "2",
  };
  environment = {};
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined) environment[name] = value;
  }
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.elb.clear();
  sim.geminidb.clear();
  sim.faults.clear();
});

/** A listener serving the certificate: in use, so its expiry pages (exit 2). */
function serve(certificateId: string): void {
  sim.elb.addListener({ name: `https-${certificateId}`, defaultTlsContainerRef: certificateId });
}

/**
 * Adds a self-signed ELB certificate valid from `fromDays` to `toDays` around now, served by a
 * listener unless `stored` (then no listener uses it: a notice at most).
 */
async function addCertificate(
  name: string,
  fromDays: number,
  toDays: number,
  { stored = false } = {},
): Promise<string> {
  const now = Date.now();
  const chain = await generateChain({
    commonName: `${name}.example.com`,
    notBefore: new Date(now + fromDays * DAY_MS),
    notAfter: new Date(now + toDays * DAY_MS),
    depth: 1,
  });
  const id = sim.elb.add({ name, certificate: chain.certificatePem });
  if (!stored) serve(id);
  return id;
}

async function check(
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawnExporter({ ...environment, ...env }, { args: ["check", ...args] });
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

describe("check: exit codes follow the certificates' real expiry", () => {
  it.each<[string, readonly [string, number, number][], readonly string[], number]>([
    ["nothing to report", [], [], 0],
    [
      "every certificate far from expiry",
      [
        ["a", -10, 80],
        ["b", -300, 400],
      ],
      [],
      0,
    ],
    [
      "one within the rules' warning limit (80-day lifetime: 24 days)",
      [
        ["a", -10, 80],
        ["b", -60, 20],
      ],
      [],
      1,
    ],
    [
      "one within the rules' critical limit (86-day lifetime: 7 days)",
      [
        ["a", -10, 20],
        ["b", -80, 6],
      ],
      [],
      2,
    ],
    [
      "one expired",
      [
        ["a", -10, 80],
        ["b", -400, -1],
      ],
      [],
      2,
    ],
    ["a 31-day certificate with 29 days left (warns below 9.3 days)", [["a", -2, 29]], [], 0],
    [
      "a 6-day certificate with 1 day left warns (critical below 14.4 hours)",
      [["a", -5, 1]],
      [],
      1,
    ],
    ["the same with fixed limits is critical", [["a", -5, 1]], ["--critical-days", "7"], 2],
    ["limits moved down: 20 days left is fine", [["a", -60, 20]], ["--warn-days", "14"], 0],
    [
      "limits moved up: 20 days left is critical",
      [["a", -60, 20]],
      ["--warn-days", "60", "--critical-days", "21"],
      2,
    ],
    ["--critical-days 0: only expired is critical", [["a", -60, 1]], ["--critical-days", "0"], 1],
  ])("%s", async (_name, certificates, args, expected) => {
    for (const [name, from, to] of certificates) await addCertificate(name, from, to);
    const result = await check(args);
    expect(result.stderr).toBe("");
    expect(result.code, result.stdout).toBe(expected);
    expect(result.stdout).toMatch(new RegExp(`Exit ${expected} \\(`));
  });

  it("judges a resource with its own thresholds by those, the rest by the rules' limits", async () => {
    const now = Date.now();
    const add = async (name: string, daysLeft: number): Promise<string> => {
      const id = sim.elb.add({
        name,
        certificate: (
          await generateChain({
            commonName: `${name}.example.com`,
            notBefore: new Date(now - 60 * DAY_MS),
            notAfter: new Date(now + daysLeft * DAY_MS),
            depth: 1,
          })
        ).certificatePem,
      });
      serve(id);
      return id;
    };
    const weekly = await add("weekly", 20);
    // Without its own thresholds, 20 of 80 days left is within the rules' warning limit (24 days).
    expect((await check()).code).toBe(1);
    expect((await check([], { HWCERT_CERTIFICATE_THRESHOLDS: `${weekly}=10d/5d` })).code).toBe(0);
    const yearly = await add("yearly", 60);
    const result = await check(["-o", "json"], {
      HWCERT_CERTIFICATE_THRESHOLDS: `${weekly}=10d/5d,${yearly}=90d/70d`,
    });
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.certificates.map((row) => [row.resourceName, row.severity])).toEqual([
      ["weekly", "ok"],
      ["yearly", "critical"],
    ]);
  });

  it("exits 2 on an ELB certificate known only by expire_time (broken PEM) in 3 days", async () => {
    const now = Date.now();
    const chain = await generateChain({
      commonName: "broken.example.com",
      notBefore: new Date(now - 80 * DAY_MS),
      notAfter: new Date(now + 3 * DAY_MS),
      depth: 1,
    });
    const broken = toOneLinePem(chain.certificatePem).replace(/MII[A-Za-z0-9+/]{20}/, "!!!");
    serve(
      sim.elb.add({
        name: "broken",
        certificate: broken,
        expireTime: new Date(now + 3 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z"),
      }),
    );
    const result = await check(["--output", "json"]);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.certificates.map((row) => [row.resourceName, row.kind])).toEqual([
      ["broken", "expire_time"],
    ]);
  });

  it("never exits 2 or 1 for a certificate only stored, unless --include-stored", async () => {
    await addCertificate("fine", -10, 80);
    const old = await addCertificate("old-upload", -400, -30, { stored: true });
    await addCertificate("spare", -80, 5, { stored: true });
    const table = await check();
    expect(table.code, table.stdout).toBe(0);
    expect(table.stdout).toMatch(/^NOTICE +-30\.0 .* ELB +stored +old-upload /m);
    expect(table.stdout).toMatch(/^NOTICE +4\.9 .* ELB +stored +spare /m);
    expect(table.stdout).toContain(
      "0 expired, 0 critical, 0 warning, 2 notice (stored only), 1 ok; 0 unreadable.",
    );
    expect(table.stdout).toContain(
      "Exit 0 (ok): 3 certificates, none in use needing attention; 2 stored only with a notice.",
    );

    const included = await check(["--include-stored", "-o", "json"]);
    expect(included.code).toBe(2);
    const json = JSON.parse(included.stdout) as CheckJson;
    expect(json.check).toMatchObject({ exitCode: 2, includeStored: true });
    expect(json.certificates.map((row) => [row.resourceName, row.severity, row.usage])).toEqual([
      ["old-upload", "expired", "stored"],
      ["spare", "critical", "stored"],
      ["fine", "ok", "in_use"],
    ]);

    // Once a listener serves it, the expired upload pages.
    serve(old);
    expect((await check()).code).toBe(2);
  });

  it("judges a certificate marked stored (HWCERT_STORED_CERTIFICATES) as stored", async () => {
    // No listener listing says otherwise here: the mark decides while nothing visibly uses it.
    const id = await addCertificate("kept", -400, -1, { stored: true });
    const marked = await check(["-o", "json"], { HWCERT_STORED_CERTIFICATES: id });
    expect(marked.code).toBe(0);
    serve(id);
    // A listener is a visible use: it wins over the mark.
    const served = await check(["-o", "json"], { HWCERT_STORED_CERTIFICATES: id });
    expect(served.code).toBe(2);
    expect((JSON.parse(served.stdout) as CheckJson).certificates[0]).toMatchObject({
      severity: "expired",
      usage: "in_use",
    });
    const invalid = await check([], { HWCERT_STORED_CERTIFICATES: "a/b" });
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain(
      'configuration error: HWCERT_STORED_CERTIFICATES: "a/b" is not a resource id',
    );
  });

  it("exits 3 when a source cannot be read, and names it", async () => {
    await addCertificate("fine", -10, 80);
    sim.faults.add({ service: "geminidb", action: { kind: "status", status: 403 } });
    const result = await check();
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /Could not read:\n {2}GeminiDB [0-9a-f]+\/ap-southeast-1: forbidden: /,
    );
    expect(result.stdout).toContain("Exit 3 (unreadable): 1 source could not be read.");
  });

  it("exits 3 on an ELB certificate whose PEM cannot be read, and names it", async () => {
    await addCertificate("fine", -10, 80);
    const now = Date.now();
    const chain = await generateChain({
      commonName: "broken.example.com",
      notBefore: new Date(now - 10 * DAY_MS),
      notAfter: new Date(now + 200 * DAY_MS),
      depth: 1,
    });
    const id = sim.elb.add({
      name: "broken-upload",
      certificate: toOneLinePem(chain.certificatePem).replace(/MII[A-Za-z0-9+/]{20}/, "!!!"),
      expireTime: new Date(now + 200 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
    const result = await check();
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      new RegExp(
        `Could not read:\\n {2}ELB [0-9a-f]+/ap-southeast-1 certificate broken-upload \\(${id}\\): bad_pem: PEM certificate block 1 is not valid base64; no readable certificates in the PEM\\n`,
      ),
    );
    expect(result.stdout).toContain("1 unreadable.");
    expect(result.stdout).toContain("Exit 3 (unreadable): 1 resource could not be read.");
  });

  it("names the unreachable host and the settings behind it", async () => {
    const result = await check([], {
      HWCERT_REGION: "ap-southeast-9",
      HWCERT_PROJECT_ID: "",
      HWCERT_IAM_ENDPOINT: "https://iam.{region}.invalid",
      HWCERT_SOURCES: "elb",
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'configuration warning: HWCERT_REGION: "ap-southeast-9" is not a known Huawei Cloud region; for a private region, set HWCERT_IAM_ENDPOINT to its API hosts\n',
    );
    expect(result.stdout).toContain(
      "network: iam list_projects: no response: cannot reach iam.ap-southeast-9.invalid (DNS: no such host, ENOTFOUND): check HWCERT_REGION or HWCERT_IAM_ENDPOINT",
    );
  });

  it("still exits 2 for an expired certificate while another source is down", async () => {
    await addCertificate("gone", -400, -2);
    sim.faults.add({ service: "geminidb", action: { kind: "status", status: 403 } });
    expect((await check()).code).toBe(2);
  });

  it("exits 3 when a GeminiDB CA download link is broken", async () => {
    const id = sim.geminidb.addInstance({ name: "db", ssl: "1" });
    sim.geminidb.setCaFile(
      id,
      "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n",
    );
    const result = await check(["-o", "json"]);
    expect(result.code).toBe(3);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.problems).toEqual([
      expect.objectContaining({ source: "geminidb", reason: "bad_content" }),
    ]);
  });

  it("exits 3 on bad options or configuration, which a script must not read as a warning", async () => {
    const badOption = await check(["--warn-days", "soon"]);
    expect(badOption.code).toBe(3);
    expect(badOption.stderr).toContain(
      "error: option '--warn-days <days>' argument 'soon' is invalid",
    );
    const inverted = await check(["--warn-days", "3", "--critical-days", "7"]);
    expect(inverted.code).toBe(3);
    expect(inverted.stderr).toBe(
      "huaweicloud-cert-exporter check: --critical-days (7) must not exceed --warn-days (3)\n",
    );
    const badConfig = await check([], { HWCERT_REGION: "Mars" });
    expect(badConfig.code).toBe(3);
    expect(badConfig.stderr).toMatch(
      /HWCERT_REGION: .*\n1 configuration error\(s\); the check did not run\.\n$/,
    );
  });
});

describe("check: output", () => {
  it("prints a table, least time left first, and JSON with the same rows", async () => {
    await addCertificate("later", -10, 200);
    await addCertificate("soon", -80, 10);
    await addCertificate("past", -400, -5);
    const table = await check();
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^STATUS +DAYS +NOT AFTER +SOURCE +USE +CERTIFICATE +SUBJECT CN +CHAIN +REGION +PROJECT$/,
    );
    expect(lines.slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual([
      "EXPIRED",
      "WARNING",
      "OK",
    ]);
    expect(lines[1]).toMatch(
      /^EXPIRED +-5\.0 .* ELB +in use +past +past\.example\.com +root +ap-southeast-1 /,
    );
    expect(table.stdout).toContain(
      "1 expired, 0 critical, 1 warning, 0 notice (stored only), 1 ok; 0 unreadable.",
    );
    expect(table.stdout).toContain(
      "Limits: the alert rules' (each resource's own, else min(30 % / 10 % of the lifetime, 28 / 7 days)).",
    );
    // No colour and no progress line when nothing is a terminal.
    expect(table.stdout).not.toContain("\u001b");

    const json = await check(["--output", "json"]);
    const document = JSON.parse(json.stdout) as CheckJson;
    expect(document.check).toMatchObject({
      exitCode: 2,
      status: "critical",
      limits: "alert-rules",
      warnDays: null,
      criticalDays: null,
    });
    const fixed = JSON.parse(
      (await check(["--warn-days", "14", "-o", "json"])).stdout,
    ) as CheckJson;
    expect(fixed.check).toMatchObject({ limits: "fixed-days", warnDays: 14, criticalDays: 7 });
    expect(fixed.certificates.map((row) => row.severity)).toEqual(["expired", "warning", "ok"]);
    expect(
      document.certificates.map((row) => [
        row.resourceName,
        row.severity,
        Math.round(row.daysLeft),
      ]),
    ).toEqual([
      ["past", "expired", -5],
      ["soon", "warning", 10],
      ["later", "ok", 200],
    ]);
  });

  it("keeps stderr to error logs by default, and logs JSON there when asked", async () => {
    await addCertificate("a", -10, 80);
    expect((await check()).stderr).toBe("");
    const verbose = await check(["--log-level", "info"]);
    const lines = verbose.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toContain("poll finished");
    expect(verbose.stderr).not.toContain(sim.authToken);
  });

  it("shows a progress line and colours on a terminal", async () => {
    if (spawnSync("script", ["--version"]).status !== 0) {
      console.warn("SKIPPED: the terminal test needs script(1) from util-linux");
      return;
    }
    await addCertificate("soon", -80, 5);
    const onTerminal = await inTerminal(`${process.execPath} dist/main.js check`, environment);
    expect(onTerminal.code).toBe(2);
    expect(onTerminal.output).toContain("\r\u001b[2K");
    expect(onTerminal.output).toMatch(/polling [0-2]\/2 sources/);
    expect(onTerminal.output).toContain("\u001b[31mCRITICAL");
    // NO_COLOR turns colours off; the progress line stays (it is not colour).
    const plain = await inTerminal(`${process.execPath} dist/main.js check`, {
      ...environment,
      NO_COLOR: "1",
    });
    expect(plain.code).toBe(2);
    expect(plain.output).not.toContain("\u001b[31m");
  });
});

/** Runs a command line on a pseudo-terminal (script(1)); the simulator must keep answering. */
function inTerminal(
  command: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve) => {
    child.once("close", (code) => {
      resolve({ code, output });
    });
  });
}

describe("config check, --version, --help", () => {
  it("prints the effective settings with the token masked, and exits 0", async () => {
    for (const args of [["config", "check"], ["--check-config"]]) {
      const child = spawnExporter(environment, { args });
      expect(await child.exited).toBe(0);
      expect(child.stdout()).toMatch(/^configuration is valid\n/);
      expect(child.stdout()).toMatch(/authentication +static IAM token \*{8}\n/);
      expect(child.stdout()).toMatch(new RegExp(`\n {4}project +${sim.projectId}\n`));
      expect(child.stdout()).not.toContain(sim.authToken);
    }
  });

  it("shows an unknown region as a warning and still exits 0", async () => {
    const child = spawnExporter(
      {
        ...environment,
        HWCERT_REGION: "ap-southeast-9",
        HWCERT_IAM_ENDPOINT: "https://iam.{region}.myhuaweicloud.com",
      },
      { args: ["config", "check"] },
    );
    expect(await child.exited).toBe(0);
    expect(child.stdout()).toMatch(
      /^configuration is valid\n\nwarning: HWCERT_REGION: "ap-southeast-9" is not a known Huawei Cloud region; for a private region, set HWCERT_IAM_ENDPOINT to its API hosts\n\n/,
    );
    expect(child.stderr()).toBe("");
  });

  it("exits 1 with every problem on an invalid configuration", async () => {
    const child = spawnExporter(
      { ...environment, HWCERT_CONCURRENCY: "many", HWCERT_TYPO: "x" },
      { args: ["config", "check"] },
    );
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/HWCERT_TYPO: unknown setting/);
    expect(child.stderr()).toMatch(/HWCERT_CONCURRENCY: /);
    expect(child.stderr()).toMatch(
      /2 configuration error\(s\); the configuration is not valid\.\n$/,
    );
    expect(child.stdout()).toBe("");
  });

  it.each([
    [
      [],
      /Usage: huaweicloud-cert-exporter \[options\] \[command\][\s\S]*serve[\s\S]*check[\s\S]*config/,
    ],
    [
      ["serve"],
      /Usage: huaweicloud-cert-exporter serve[\s\S]*status page[\s\S]*readiness probes\.\n/,
    ],
    [
      ["check"],
      /Usage: huaweicloud-cert-exporter check[\s\S]*--warn-days[\s\S]*--include-stored[\s\S]*Exit codes[\s\S]*never changes the exit code/,
    ],
    [["config", "check"], /Usage: huaweicloud-cert-exporter config check[\s\S]*--check-config/],
  ])("%j --help", (command, pattern) => {
    const output = execFileSync(process.execPath, ["dist/main.js", ...command, "--help"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(output).toMatch(pattern);
  });

  it("rejects an unknown command", async () => {
    const child = spawnExporter({}, { args: ["chekc"] });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toBe(
      "huaweicloud-cert-exporter: unknown command 'chekc' (run huaweicloud-cert-exporter --help for usage)\n",
    );
  });

  it("runs as the package's bin through npx", () => {
    const output = execFileSync("npx", ["--no-install", "huaweicloud-cert-exporter", "--version"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(output).toMatch(/^huaweicloud-cert-exporter \d+\.\d+\.\d+\n$/);
  });
});
