// A small Huawei Cloud world for resilience tests: a fresh simulator with two ELB certificates
// (leaf + intermediate each) and two SSL GeminiDB instances serving a CA file each, plus helpers
// that read one source's certificate series out of a scrape. Certificates are generated once per
// test file and reused, so a fresh world per test case costs a few milliseconds.

import {
  generateCaCertificate,
  generateChain,
  startSimulator,
  type GeneratedCa,
  type GeneratedChain,
  type Simulator,
  type SimulatorOptions,
} from "../../src/simulator/index.js";
import { select, type Sample } from "../helpers/metrics-text.js";

const DAY = 86_400_000;

interface Material {
  readonly chains: readonly GeneratedChain[];
  readonly cas: readonly GeneratedCa[];
}

let material: Promise<Material> | undefined;

function generateMaterial(): Promise<Material> {
  const now = Date.now();
  material ??= Promise.all([
    Promise.all(
      ["alpha", "beta"].map((name, i) =>
        generateChain({
          commonName: `${name}.example.com`,
          notBefore: new Date(now - DAY),
          notAfter: new Date(now + (30 + i) * DAY),
        }),
      ),
    ),
    Promise.all(
      ["GeminiDB CA one", "GeminiDB CA two"].map((commonName, i) =>
        generateCaCertificate({
          commonName,
          notBefore: new Date(now - 10 * DAY),
          notAfter: new Date(now + (400 + i) * DAY),
        }),
      ),
    ),
  ]).then(([chains, cas]) => ({ chains, cas }));
  return material;
}

export interface World {
  readonly sim: Simulator;
  readonly elbIds: readonly string[];
  readonly instanceIds: readonly string[];
  readonly cas: readonly GeneratedCa[];
}

/** Starts a simulator seeded with the world; the caller closes `sim`. */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const { chains, cas } = await generateMaterial();
  const sim = await startSimulator(options);
  const elbIds = chains.map((chain, i) =>
    sim.elb.add({ name: `cert-${i}`, certificate: chain.certificatePem }),
  );
  const instanceIds = cas.map((ca, i) =>
    sim.geminidb.addInstance({
      name: `gemini-${i}`,
      ssl: "1",
      caFile: { bytes: ca.certificatePem },
    }),
  );
  return { sim, elbIds, instanceIds, cas };
}

export const NOT_AFTER = "hwcert_certificate_not_after_timestamp_seconds";
export const ELB_EXPIRE = "hwcert_elb_certificate_expire_timestamp_seconds";
export const LINK_UP = "hwcert_geminidb_ca_link_up";
export const ERRORS = "hwcert_errors_total";

/** One source's certificate series (names, labels, values) as sorted lines, for comparison. */
export function certificateSeries(
  samples: readonly Sample[],
  source: "elb" | "geminidb",
): string[] {
  const series = [
    ...select(samples, NOT_AFTER, { source }),
    ...(source === "elb" ? select(samples, ELB_EXPIRE) : []),
  ];
  return series.map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`).sort();
}

/** hwcert_errors_total of one source by reason. */
export function errorCounts(
  samples: readonly Sample[],
  source: "elb" | "geminidb",
): Map<string, number> {
  return new Map(
    select(samples, ERRORS, { source }).map((s) => [s.labels["reason"] ?? "", s.value]),
  );
}

/** Reasons whose count grew between two scrapes, with the growth. */
export function errorGrowth(
  before: readonly Sample[],
  after: readonly Sample[],
  source: "elb" | "geminidb",
): Record<string, number> {
  const old = errorCounts(before, source);
  const grown: Record<string, number> = {};
  for (const [reason, value] of errorCounts(after, source)) {
    const delta = value - (old.get(reason) ?? 0);
    if (delta !== 0) grown[reason] = delta;
  }
  return grown;
}
