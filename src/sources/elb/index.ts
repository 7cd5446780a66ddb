// The ELB source: certificates of Elastic Load Balance, their PEM chains and the listeners that
// use them. Project-scoped.

import type { SourceModule } from "../source.js";
import { elbRows } from "./rows.js";
import { elbUsage } from "./usage.js";
import { createElbPoller } from "./poller.js";
import { elbResources } from "./resources.js";
import { initialElbSnapshot, type ElbSourceSnapshot } from "./snapshot.js";

export const elb: SourceModule<ElbSourceSnapshot> = {
  name: "elb",
  initialSnapshot: initialElbSnapshot,
  resources: elbResources,
  // The status model's view: usage and rows.
  usage: elbUsage,
  rows: elbRows,

  /** Polling: project-scoped. */
  scope: "project",
  createPoller: createElbPoller,
};
