// The GeminiDB source: instances of GeminiDB (NoSQL) and the CA files behind their SSL download
// links. Project-scoped.

import { resourceUsage } from "../../status/severity.js";
import type { SourceModule } from "../source.js";
import { geminiDbFamilies } from "./families.js";
import { geminiDbResources } from "./resources.js";
import { initialGeminiDbSnapshot, type GeminiDbSourceSnapshot } from "./snapshot.js";

export const geminidb: SourceModule<GeminiDbSourceSnapshot> = {
  name: "geminidb",
  initialSnapshot: initialGeminiDbSnapshot,
  resources: geminiDbResources,
  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: geminiDbFamilies,
  renderInputs: (snapshot) => [snapshot.instances],
  // Usage, for hwcert_resource_in_use (transitional: the one rule in status/severity.ts).
  usage: resourceUsage,
};

export { GEMINIDB_METRICS } from "./families.js";
