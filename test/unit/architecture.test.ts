// The structure, drawn from the code's own imports: every module of src/ belongs to a layer,
// and imports only go down. Each source is a folder of its own that imports no other source,
// and the generic layers (poll, status, metrics, ...) see sources only through what the wiring
// hands them. A new import that breaks a rule fails here with the file and the import named.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");

/**
 * Layers from the bottom up: a module may import modules of lower layers and of its own unit.
 * A unit is a top-level folder of src/, one source's folder, or a top-level file.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["reasons", "source-names", "version"],
  ["certs", "log"],
  ["config"],
  ["cloud"],
  ["poll"],
  ["status"],
  ["metrics"],
  ["sources/source"],
  ["sources/*"],
  ["sources/index"],
  ["server"],
  ["cli"],
  ["main", "demo"],
];

/** The simulator stands apart: it shares no code with the product it imitates. */
const SIMULATOR_MAY_IMPORT = new Set(["simulator", "certs", "reasons"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The unit a file of src/ belongs to: `cli`, `sources/elb`, `sources/index`, `reasons`, … */
function unitOf(file: string): string {
  const parts = path.relative(SRC, file).replace(/\.ts$/, "").split(path.sep);
  if (parts[0] === "sources") return `sources/${parts[1] ?? ""}`;
  return parts[0] ?? "";
}

function layerOf(unit: string): number {
  const index = LAYERS.findIndex((units) =>
    units.some((name) =>
      name === "sources/*"
        ? unit.startsWith("sources/") && !["sources/source", "sources/index"].includes(unit)
        : name === unit,
    ),
  );
  return index;
}

interface Import {
  readonly from: string;
  readonly to: string;
}

function relativeImports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)];
    return specifiers.map((match) => ({
      from: file,
      to: path.resolve(path.dirname(file), (match[1] ?? "").replace(/\.js$/, ".ts")),
    }));
  });
}

const imports = relativeImports();
const describeImport = ({ from, to }: Import): string =>
  `${path.relative(SRC, from)} imports ${path.relative(SRC, to)}`;

describe("module structure", () => {
  it("places every module of src/ in a layer", () => {
    const units = new Set(sourceFiles(SRC).map(unitOf));
    const unplaced = [...units].filter((unit) => unit !== "simulator" && layerOf(unit) < 0);
    expect(unplaced).toEqual([]);
  });

  it("imports only downward (or within a unit)", () => {
    const upward = imports.filter(({ from, to }) => {
      const [a, b] = [unitOf(from), unitOf(to)];
      if (a === b || a === "simulator" || (a === "demo" && b === "simulator")) return false;
      return layerOf(b) >= layerOf(a);
    });
    expect(upward.map(describeImport)).toEqual([]);
  });

  it("keeps every source's folder free of other sources", () => {
    const crossing = imports.filter(({ from, to }) => {
      const [a, b] = [unitOf(from), unitOf(to)];
      return a !== b && layerOf(a) === layerOf("sources/elb") && layerOf(b) === layerOf(a);
    });
    expect(crossing.map(describeImport)).toEqual([]);
  });

  it("keeps the simulator apart from the product it imitates", () => {
    const shared = imports.filter(
      ({ from, to }) => unitOf(from) === "simulator" && !SIMULATOR_MAY_IMPORT.has(unitOf(to)),
    );
    expect(shared.map(describeImport)).toEqual([]);
  });

  it("gives every source its own folder, listed once in src/sources/index.ts", () => {
    const folders = readdirSync(path.join(SRC, "sources"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const index = readFileSync(path.join(SRC, "sources/index.ts"), "utf8");
    const listed = [...index.matchAll(/from "\.\/([\w-]+)\/index\.js"/g)].map((m) => m[1]).sort();
    expect(listed).toEqual(folders);
  });
});
