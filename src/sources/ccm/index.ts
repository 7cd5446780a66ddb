// The Cloud Certificate Manager source: the account's certificates, their status and validity as
// CCM reports them. Account-scoped (a global service), opt-in.

import { resourceUsage } from "../../status/severity.js";
import type { SourceModule } from "../source.js";
import { ccmFamilies } from "./families.js";
import { ccmResources } from "./resources.js";
import { initialCcmSnapshot, type CcmSourceSnapshot } from "./snapshot.js";

export const ccm: SourceModule<CcmSourceSnapshot> = {
  name: "ccm",
  initialSnapshot: initialCcmSnapshot,
  resources: ccmResources,
  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: ccmFamilies,
  renderInputs: (snapshot) => [snapshot.certificates],
  // Usage, for hwcert_resource_in_use (transitional: the one rule in status/severity.ts).
  usage: resourceUsage,
};

export { CCM_METRICS } from "./families.js";
