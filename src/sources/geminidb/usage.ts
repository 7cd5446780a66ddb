// Whether a GeminiDB instance's CA is in use, by the one severity model's rule
// (status/severity.ts decideUsage): always, since the instance itself serves it.

import { decideUsage, type Usage } from "../../status/severity.js";

export function geminiDbUsage(): Usage {
  return decideUsage({ source: "geminidb" });
}
