// The settings table in src/config/settings.ts, the metric contract and the error reasons are
// the public interface; README and config/example.env must name every one of them.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../../src/config/settings.js";
import { METRICS } from "../../../src/metrics/contract.js";
import { ERROR_REASONS } from "../../../src/reasons.js";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const example = readFileSync(new URL("../../../config/example.env", import.meta.url), "utf8");

/** A Markdown table row whose first cell is the code-formatted name (Prettier pads cells). */
function tableRow(name: string): RegExp {
  return new RegExp(`^\\| \`${name}\` +\\|`, "m");
}

describe("documentation", () => {
  it.each(SETTINGS.map((setting) => [setting.name, setting] as const))(
    "documents %s in README and example.env with its default",
    (name, setting) => {
      expect(readme).toMatch(tableRow(name));
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, "m"));
      if (setting.defaultValue !== undefined) {
        expect(readme).toContain(`\`${setting.defaultValue}\``);
      }
    },
  );

  it.each(Object.values(METRICS).map((metric) => [metric.name, metric] as const))(
    "documents %s with every label",
    (name, metric) => {
      const row = readme.split("\n").find((line) => tableRow(name).test(line));
      expect(row, `README metrics table has no row for ${name}`).toBeDefined();
      const labels = metric.labelNames as readonly string[];
      const sameAsAbove = row!.includes("same as above");
      for (const label of labels) {
        if (!sameAsAbove) expect(row).toContain(`\`${label}\``);
      }
    },
  );

  it.each(ERROR_REASONS.map((reason) => [reason]))("documents the reason %s", (reason) => {
    expect(readme).toMatch(tableRow(reason));
  });
});
