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

/**
 * Asserts the text passes `promtool check metrics`. Without promtool: fails in CI (where
 * .ci/run installs it), elsewhere warns loudly and skips.
 */
export function expectPromtoolClean(text: string, skip: () => void): string {
  const promtool = findPromtool();
  if (promtool === null) {
    if (process.env["CI"])
      throw new Error("promtool is required in CI (Debian package prometheus)");
    process.stderr.write("SKIPPED: promtool not installed (apt-get install prometheus)\n");
    skip();
    return "";
  }
  return checkMetrics(promtool, text);
}
