// Whether a GeminiDB instance's CA is in use, by the one severity model's rule
// (status/severity.ts decideUsage): always, since the instance itself serves it.

import { decideUsage, type Usage } from "../../status/severity.js";

export function geminiDbUsage(): Usage {
  // The instance itself serves its CA: one use, always.
  return decideUsage({ visibleUses: 1, mayBeUsedUnseen: false, markedStored: false });
}
