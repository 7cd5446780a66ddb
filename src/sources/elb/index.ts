// The ELB source: certificates of Elastic Load Balance, their PEM chains and the listeners that
// use them. Project-scoped.

import { resourceUsage } from "../../status/severity.js";
import type { SourceModule } from "../source.js";
import { elbFamilies } from "./families.js";
import { elbResources } from "./resources.js";
import { initialElbSnapshot, type ElbSourceSnapshot } from "./snapshot.js";

export const elb: SourceModule<ElbSourceSnapshot> = {
  name: "elb",
  initialSnapshot: initialElbSnapshot,
  resources: elbResources,
  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: elbFamilies,
  renderInputs: (snapshot) => [snapshot.certificates, snapshot.listenerBindings],
  // Usage, for hwcert_resource_in_use (transitional: the one rule in status/severity.ts).
  usage: resourceUsage,
};

export { ELB_METRICS } from "./families.js";
