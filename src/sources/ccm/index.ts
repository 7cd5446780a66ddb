// The Cloud Certificate Manager source: the account's certificates, their status and validity as
// CCM reports them. Account-scoped (a global service), opt-in.

import type { SourceModule } from "../source.js";
import { ccmRows } from "./rows.js";
import { ccmUsage } from "./usage.js";
import { createCcmPoller } from "./poller.js";
import { ccmResources } from "./resources.js";
import { initialCcmSnapshot, type CcmSourceSnapshot } from "./snapshot.js";

export const ccm: SourceModule<CcmSourceSnapshot> = {
  name: "ccm",
  initialSnapshot: initialCcmSnapshot,
  resources: ccmResources,
  // The status model's view: usage and rows.
  usage: ccmUsage,
  rows: ccmRows,

  /** Polling: account-scoped (a global service: its requests carry the account, not a project). */
  scope: "account",
  createPoller: createCcmPoller,
};
