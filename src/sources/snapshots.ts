// The union of every source's snapshot, for code that handles them all.

import type { CcmSourceSnapshot } from "./ccm/snapshot.js";
import type { ElbSourceSnapshot } from "./elb/snapshot.js";
import type { GeminiDbSourceSnapshot } from "./geminidb/snapshot.js";

export type SourceSnapshot = ElbSourceSnapshot | GeminiDbSourceSnapshot | CcmSourceSnapshot;
