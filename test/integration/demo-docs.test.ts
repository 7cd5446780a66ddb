// The `check` example in docs/usage.md is what `npm run demo -- check` prints: `npm run docs:demo`
// writes it, and this test runs the same command on a freshly seeded demo and compares the
// committed report with it, row by row, ignoring only what moves with the clock or is random per
// run (days and dates, project ids). So the documentation cannot drift from the product.

import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import {
  demoEnvironment,
  seedDemoScenario,
  startSimulator,
  type Simulator,
} from "../../src/simulator/index.js";

const USAGE = new URL("../../docs/usage.md", import.meta.url);
const BEGIN = "<!-- demo-check:begin";
const END = "<!-- demo-check:end -->";
/** Columns whose text depends on the clock or on the run: left out of the comparison. */
const MOVING = new Set(["DAYS", "NOT AFTER", "PROJECT"]);

interface Report {
  readonly rows: string[];
  readonly tail: string[];
}

/** The table's rows as `STATUS | SOURCE | ...` without the moving columns, and what follows. */
function readReport(text: string): Report {
  const lines = text.split("\n");
  const header = lines.findIndex((line) => line.startsWith("STATUS "));
  if (header < 0) throw new Error(`no report table in:\n${text}`);
  const titles = [...(lines[header] ?? "").matchAll(/\S+(?: \S+)*/g)].map((match) => ({
    title: match[0],
    start: match.index,
  }));
  const rows: string[] = [];
  let index = header + 1;
  for (; index < lines.length && (lines[index] ?? "") !== ""; index++) {
    const line = lines[index] ?? "";
    const cells = titles.map(({ title, start }, column) => {
      const end = titles[column + 1]?.start ?? line.length;
      return [title, line.slice(start, end).trim()] as const;
    });
    rows.push(
      cells
        .filter(([title]) => !MOVING.has(title))
        .map(([, cell]) => cell)
        .join(" | "),
    );
  }
  const tail = lines
    .slice(index)
    .filter((line) => line.trim() !== "")
    // The problem lines name the random project id and resource ids.
    .map((line) => line.replace(/\b[0-9a-f]{32}\b/g, "<id>"));
  return { rows: rows.sort(), tail };
}

function committedExample(): { command: string; report: Report; exitCode: number } {
  const usage = readFileSync(USAGE, "utf8");
  const block = usage.slice(usage.indexOf(BEGIN), usage.indexOf(END));
  const body = /```console\n\$ (.+)\n([\s\S]*?)\$ echo \$\?\n(\d+)\n```/.exec(block);
  if (body === null) throw new Error("docs/usage.md has no generated check example");
  return { command: body[1] ?? "", report: readReport(body[2] ?? ""), exitCode: Number(body[3]) };
}

describe("the check example in docs/usage.md", () => {
  let sim: Simulator;
  let output = "";
  let exitCode = -1;

  beforeAll(async () => {
    sim = await startSimulator();
    await seedDemoScenario(sim, Date.now());
    const signals = new EventEmitter() as unknown as Pick<NodeJS.Process, "on" | "off">;
    exitCode = await run(
      ["check"],
      demoEnvironment(sim),
      { stdout: (text) => (output += text), stderr: () => undefined },
      signals,
      { envFile: null },
    );
  });

  afterAll(async () => {
    await sim.close();
  });

  it("is what npm run demo -- check prints: the same rows, verdict and exit code", () => {
    const committed = committedExample();
    expect(committed.command).toBe("npm run demo -- check");
    const fresh = readReport(output);
    expect(committed.report.rows).toEqual(fresh.rows);
    expect(committed.report.tail).toEqual(fresh.tail);
    expect(committed.exitCode).toBe(exitCode);
  });

  it("shows the demo paging: exit 2, with the broken PEM as its one unreadable resource", () => {
    expect(exitCode).toBe(2);
    expect(output).toMatch(/^Could not read:\n {2}ELB .* certificate broken-upload .*: bad_pem: /m);
  });
});
