// The ELB source: certificates of Elastic Load Balance, their PEM chains and the listeners that
// use them. Project-scoped.

import type { SourceModule } from "../source.js";
import { elbFamilies } from "./families.js";
import { createElbPoller } from "./poller.js";
import { elbResources } from "./resources.js";
import { elbRows } from "./rows.js";
import { initialElbSnapshot, type ElbSourceSnapshot } from "./snapshot.js";
import { elbUsage } from "./usage.js";

export const elb: SourceModule<ElbSourceSnapshot> = {
  name: "elb",
  initialSnapshot: initialElbSnapshot,
  resources: elbResources,

  // The status model's view: whether a resource is in use, and its certificate rows.
  usage: elbUsage,
  rows: elbRows,

  // Polling: with the target's project credentials.
  scope: "project",
  createPoller: createElbPoller,

  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: elbFamilies,
  renderInputs: (snapshot) => [snapshot.certificates, snapshot.listenerBindings],
};
