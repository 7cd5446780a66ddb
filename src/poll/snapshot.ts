// The last-good state of every source, as plain immutable data. A poll produces a new
// SourceSnapshot from the previous one; metrics and pages render from it. A failing source
// keeps its previous resources and only changes its status fields.

import type { ParsedCertificate } from "../certs/types.js";
import type { ErrorReason } from "../reasons.js";

export const SOURCES = ["elb"] as const;
export type SourceName = (typeof SOURCES)[number];

export interface SourceKey {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
}

export interface SourceStatus {
  /** The last poll's discovery of this source succeeded. */
  readonly up: boolean;
  /** Unix seconds of the last successful discovery; null before the first. */
  readonly lastSuccessSeconds: number | null;
  /** Unix seconds of the last attempt, successful or not; null before the first. */
  readonly lastAttemptSeconds: number | null;
  /** Why the last attempt failed; null when it succeeded. Never contains secrets. */
  readonly lastError: { readonly reason: ErrorReason; readonly message: string } | null;
}

export interface ElbCertificateState {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** The API's expire_time in Unix seconds; null when absent or unreadable. */
  readonly expireTimeSeconds: number | null;
  /** Every X.509 certificate of the PEM (leaf and chain); empty when the PEM is broken. */
  readonly certificates: readonly ParsedCertificate[];
}

export interface ElbSourceSnapshot extends SourceKey, SourceStatus {
  readonly source: "elb";
  /** Keyed by certificate id, in discovery order. */
  readonly certificates: ReadonlyMap<string, ElbCertificateState>;
}

export type SourceSnapshot = ElbSourceSnapshot;

export interface PollSummary {
  readonly startedAtSeconds: number;
  readonly finishedAtSeconds: number;
}

export interface Snapshot {
  readonly sources: readonly SourceSnapshot[];
  /** Completed polls since start-up; 0 until the first poll finished. */
  readonly completedPolls: number;
  readonly lastPoll: PollSummary | null;
}

export function initialElbSnapshot(key: Omit<SourceKey, "source">): ElbSourceSnapshot {
  return {
    source: "elb",
    region: key.region,
    projectId: key.projectId,
    up: false,
    lastSuccessSeconds: null,
    lastAttemptSeconds: null,
    lastError: null,
    certificates: new Map(),
  };
}
