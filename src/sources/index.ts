// Every source the exporter can poll, in exposition order, and every metric family. Adding a
// source is a folder beside these, one line in SOURCES and one in METRICS (and its name in
// source-names.ts).

import { ccm, CCM_METRICS } from "./ccm/index.js";
import { elb, ELB_METRICS } from "./elb/index.js";
import { geminidb, GEMINIDB_METRICS } from "./geminidb/index.js";
import { LIVE_METRICS, SHARED_METRICS } from "../metrics/contract.js";
import type { SourceModule } from "./source.js";

export const SOURCES = [elb, geminidb, ccm] as const satisfies readonly SourceModule[];

/**
 * Every metric family the exporter can expose, live, shared and each source's own: what
 * docs/metrics.md, the alert rules and the dashboard are checked against. Names are unique
 * across the list and cover every family the renderer writes (test/unit/metrics/catalog.test.ts).
 */
export const METRICS = {
  ...LIVE_METRICS,
  ...SHARED_METRICS,
  ...ELB_METRICS,
  ...GEMINIDB_METRICS,
  ...CCM_METRICS,
} as const;
