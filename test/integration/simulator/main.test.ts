// `npm run simulator` as a developer uses it: the simulator process prints HWCERT_* lines, and
// those lines alone (no other setting) are enough for the real exporter CLI to read every
// source of the demo scenario, CA downloads from its file host included.

import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ELB_CERTIFICATES } from "../../../src/simulator/index.js";
import { PROJECT_ROOT, spawnExporter } from "../../helpers/exporter-process.js";

let simulator: ChildProcess;
let printed: string;

beforeAll(async () => {
  simulator = spawn(process.execPath, ["dist/simulator/main.js", "--host", "127.0.0.1"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  printed = await new Promise<string>((resolve, reject) => {
    let text = "";
    simulator.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("# Ctrl-C stops the simulator.\n")) resolve(text);
    });
    simulator.once("exit", (code) => {
      reject(new Error(`simulator exited (${String(code)}) before printing its settings`));
    });
  });
});

afterAll(async () => {
  const exited = new Promise((resolve) => simulator.once("exit", resolve));
  simulator.kill("SIGTERM");
  await exited;
});

/** The uncommented NAME=value lines. */
function settings(text: string): Record<string, string> {
  const entries = text
    .split("\n")
    .filter((line) => /^HWCERT_[A-Z_]+=/.test(line))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1).replace(/^'(.*)'$/, "$1")] as const;
    });
  return Object.fromEntries(entries);
}

interface CheckJson {
  readonly check: { readonly exitCode: number };
  readonly certificates: readonly { readonly source: string }[];
  readonly problems: readonly {
    readonly reason: string;
    readonly resource: { readonly name: string } | null;
  }[];
}

describe("npm run simulator", () => {
  it("prints the settings an exporter needs, download allow-list included", () => {
    const env = settings(printed);
    expect(Object.keys(env).sort()).toEqual([
      "HWCERT_AUTH_TOKEN",
      "HWCERT_CCM_ENDPOINT",
      "HWCERT_DOWNLOAD_ALLOWED_HOSTS",
      "HWCERT_DOWNLOAD_ALLOW_HTTP",
      "HWCERT_ELB_ENDPOINT",
      "HWCERT_EPS_ENDPOINT",
      "HWCERT_GEMINIDB_ENDPOINT",
      "HWCERT_IAM_ENDPOINT",
      "HWCERT_PROJECT_ID",
      "HWCERT_REGION",
      "HWCERT_SOURCES",
      "HWCERT_STORED_CERTIFICATES",
    ]);
    expect(env["HWCERT_DOWNLOAD_ALLOWED_HOSTS"]).toBe("127.0.0.1");
    expect(env["HWCERT_PROJECT_ID"]).toMatch(/^[0-9a-f]{32}$/);
    expect(printed).toMatch(/^# HWCERT_IAM_PASSWORD=\S+$/m);
  });

  it("is enough for `check` to read every source; the one problem is the demo's broken PEM", async () => {
    const exporter = spawnExporter(settings(printed), { args: ["check", "--output", "json"] });
    const code = await exporter.exited;
    const report = JSON.parse(exporter.stdout()) as CheckJson;
    // The demo scenario holds expired certificates: exit 2, with nothing unreadable.
    expect(code).toBe(2);
    expect(report.check.exitCode).toBe(2);
    expect(report.problems.map((problem) => [problem.reason, problem.resource?.name])).toEqual(
      DEMO_ELB_CERTIFICATES.filter((spec) => spec.pemForm === "broken").map((spec) => [
        "bad_pem",
        spec.name,
      ]),
    );
    expect(new Set(report.certificates.map((row) => row.source))).toEqual(
      new Set(["elb", "geminidb", "ccm"]),
    );
    expect(exporter.stderr()).toBe("");
  });
});
