// The GeminiDB source: instances of GeminiDB (NoSQL) and the CA files behind their SSL download
// links. Project-scoped.

import type { SourceModule } from "../source.js";
import { geminiDbFamilies } from "./families.js";
import { createGeminiDbPoller } from "./poller.js";
import { geminiDbResources } from "./resources.js";
import { geminiDbRows } from "./rows.js";
import { initialGeminiDbSnapshot, type GeminiDbSourceSnapshot } from "./snapshot.js";
import { geminiDbUsage } from "./usage.js";

export const geminidb: SourceModule<GeminiDbSourceSnapshot> = {
  name: "geminidb",
  initialSnapshot: initialGeminiDbSnapshot,
  resources: geminiDbResources,

  // The status model's view: whether a resource is in use, and its certificate rows.
  usage: geminiDbUsage,
  rows: geminiDbRows,

  // Polling: with the target's project credentials.
  scope: "project",
  createPoller: createGeminiDbPoller,

  // Metric families: its own, and the objects every family's part of a snapshot reads.
  families: geminiDbFamilies,
  renderInputs: (snapshot) => [snapshot.instances],
};
