// Every source the exporter can poll, in exposition order. Adding a source is a folder beside
// these and one line here (and its name in source-names.ts).

import { ccm } from "./ccm/index.js";
import { elb } from "./elb/index.js";
import { geminidb } from "./geminidb/index.js";
import type { SourceModule } from "./source.js";

export const SOURCES = [elb, geminidb, ccm] as const satisfies readonly SourceModule[];
