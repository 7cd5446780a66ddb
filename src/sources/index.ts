// Every source the exporter can poll, in exposition order, and every metric family. Adding a
// source is a folder beside these and one line in SOURCES (and its catalogue entry, endpoint
// setting included, in source-names.ts).

import type { FamilySpec } from "../metrics/family.js";
import { LIVE_METRICS, SHARED_METRICS } from "../metrics/contract.js";
import { ccm } from "./ccm/index.js";
import type { CcmSourceSnapshot } from "./ccm/snapshot.js";
import { elb } from "./elb/index.js";
import type { ElbSourceSnapshot } from "./elb/snapshot.js";
import { geminidb } from "./geminidb/index.js";
import type { GeminiDbSourceSnapshot } from "./geminidb/snapshot.js";
import type { SourceModule } from "./source.js";

export const SOURCES = [elb, geminidb, ccm] as const satisfies readonly SourceModule[];

/** Any source's snapshot, for code that handles them all (tests, the wiring). */
export type SourceSnapshot = ElbSourceSnapshot | GeminiDbSourceSnapshot | CcmSourceSnapshot;

/**
 * Every metric family the exporter can expose, live, shared and each source's own (keyed by
 * name): what docs/metrics.md, the alert rules and the dashboard are checked against. Names are
 * unique across the list and cover every family the renderer writes
 * (test/unit/metrics/catalog.test.ts).
 */
export const METRICS: typeof LIVE_METRICS &
  typeof SHARED_METRICS &
  Readonly<Record<string, FamilySpec>> = {
  ...LIVE_METRICS,
  ...SHARED_METRICS,
  ...Object.fromEntries(
    SOURCES.flatMap((source) => [...source.families.leading, ...source.families.trailing]).map(
      (family) => [family.spec.name, family.spec],
    ),
  ),
};
