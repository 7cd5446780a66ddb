// The settings table in src/config/settings.ts, the metric contract and the error reasons are
// the public interface; docs/configuration.md, docs/metrics.md and config/example.env must name
// every one of them. Every relative link of the README and of docs/ must lead somewhere: to a
// file that exists and, with a #fragment, to a heading of that file.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../../src/config/settings.js";
import { METRICS } from "../../../src/sources/index.js";
import { ERROR_REASONS } from "../../../src/reasons.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const configuration = readFileSync(join(ROOT, "docs", "configuration.md"), "utf8");
const metrics = readFileSync(join(ROOT, "docs", "metrics.md"), "utf8");
const example = readFileSync(new URL("../../../config/example.env", import.meta.url), "utf8");

/** A Markdown table row whose first cell is the code-formatted name (Prettier pads cells). */
function tableRow(name: string): RegExp {
  return new RegExp(`^\\| \`${name}\` +\\|`, "m");
}

describe("documentation", () => {
  it.each(SETTINGS.map((setting) => [setting.name, setting] as const))(
    "documents %s in docs/configuration.md and example.env with its default",
    (name, setting) => {
      expect(configuration).toMatch(tableRow(name));
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, "m"));
      if (setting.defaultValue !== undefined) {
        expect(configuration).toContain(`\`${setting.defaultValue}\``);
      }
    },
  );

  it.each(Object.values(METRICS).map((metric) => [metric.name, metric] as const))(
    "documents %s with every label",
    (name, metric) => {
      const row = metrics.split("\n").find((line) => tableRow(name).test(line));
      expect(row, `docs/metrics.md has no row for ${name}`).toBeDefined();
      const labels = metric.labelNames;
      const sameAsAbove = row!.includes("same as above");
      for (const label of labels) {
        if (!sameAsAbove) expect(row).toContain(`\`${label}\``);
      }
    },
  );

  it.each(ERROR_REASONS.map((reason) => [reason]))("documents the reason %s", (reason) => {
    expect(metrics).toMatch(tableRow(reason));
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? "")));
}

const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

describe("documentation links", () => {
  it.each(PAGES.map((page) => [page]))("every relative link of %s resolves", (page) => {
    const markdown = readFileSync(join(ROOT, page), "utf8").replace(/```[\s\S]*?```/g, "");
    const broken: string[] = [];
    for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? "";
      if (/^(https?:|mailto:)/.test(target) || target.startsWith("<")) continue;
      const [path = "", fragment] = target.split("#");
      const file = path === "" ? join(ROOT, page) : join(ROOT, dirname(page), path);
      if (!existsSync(file)) {
        broken.push(`${target}: no ${relative(ROOT, file)}`);
        continue;
      }
      if (fragment !== undefined && file.endsWith(".md")) {
        if (!anchorsOf(readFileSync(file, "utf8")).has(fragment)) {
          broken.push(`${target}: no heading #${fragment} in ${relative(ROOT, file)}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
