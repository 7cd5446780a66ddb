// `promtool check metrics`, the official exposition lint, when the binary exists. CI installs
// the Debian package `prometheus`, so there the check always runs.

import { execFileSync, spawnSync } from "node:child_process";

export function findPromtool(): string | null {
  const found = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Runs the lint; returns its complaints (empty when clean). */
export function checkMetrics(promtool: string, text: string): string {
  try {
    execFileSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ""}${failed.stderr ?? ""}`.trim() || "promtool failed";
  }
}
