// The exporter's version, read once from package.json next to the built or source tree (dist/,
// src/), or one level further up for the tools compiled with the benchmark (dist-bench/src/).

import { readFileSync } from "node:fs";

function readVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const text = readFileSync(new URL(path, import.meta.url), "utf8");
      const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (parsed.name === "huaweicloud-cert-exporter" && typeof parsed.version === "string") {
        return parsed.version;
      }
    } catch {
      // not in this directory
    }
  }
  return "unknown";
}

export const VERSION = readVersion();
