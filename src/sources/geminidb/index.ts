// The GeminiDB source: instances of GeminiDB (NoSQL) and the CA files behind their SSL download
// links. Project-scoped.

import type { SourceModule } from "../source.js";
import { geminiDbRows } from "./rows.js";
import { geminiDbUsage } from "./usage.js";
import { createGeminiDbPoller } from "./poller.js";
import { geminiDbResources } from "./resources.js";
import { initialGeminiDbSnapshot, type GeminiDbSourceSnapshot } from "./snapshot.js";

export const geminidb: SourceModule<GeminiDbSourceSnapshot> = {
  name: "geminidb",
  initialSnapshot: initialGeminiDbSnapshot,
  resources: geminiDbResources,
  // The status model's view: usage and rows.
  usage: geminiDbUsage,
  rows: geminiDbRows,

  /** Polling: project-scoped. */
  scope: "project",
  createPoller: createGeminiDbPoller,
};
