// The Cloud Certificate Manager source: the account's certificates, their status and validity as
// CCM reports them. Account-scoped (a global service), opt-in.

import type { SourceModule } from "../source.js";
import { ccmFamilies } from "./families.js";
import { createCcmPoller } from "./poller.js";
import { ccmResources } from "./resources.js";
import { ccmRows } from "./rows.js";
import { initialCcmSnapshot, type CcmSourceSnapshot } from "./snapshot.js";
import { ccmUsage } from "./usage.js";

export const ccm: SourceModule<CcmSourceSnapshot> = {
  name: "ccm",
  initialSnapshot: initialCcmSnapshot,
  resources: ccmResources,

  // The status model's view: whether a resource is in use, and its certificate rows.
  usage: ccmUsage,
  rows: ccmRows,

  // Polling: a global service, whose requests carry the account, not a project.
  scope: "account",
  createPoller: createCcmPoller,

  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: ccmFamilies,
  renderInputs: (snapshot) => [snapshot.certificates],
};
