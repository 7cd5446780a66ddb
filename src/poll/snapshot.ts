// The last-good state of every source, as plain immutable data. A poll produces a new
// SourceSnapshot from the previous one; metrics and pages render from it. A failing source
// keeps its previous resources and only changes its status fields.

import type { ErrorReason } from "../reasons.js";

import type { SourceName } from "../source-names.js";

export type { SourceName } from "../source-names.js";

export interface SourceKey {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
}

/** Shared by every source snapshot: what its resources' owner labels need besides the resources. */
export interface OwnerDirectory {
  /** Enterprise project names by id (HWCERT_ENTERPRISE_PROJECT_NAMES); absent when not read. */
  readonly enterpriseProjectNames?: ReadonlyMap<string, string>;
}

export interface SourceStatus extends OwnerDirectory {
  /** The last poll's discovery of this source succeeded. */
  readonly up: boolean;
  /** Unix seconds of the last successful discovery; null before the first. */
  readonly lastSuccessSeconds: number | null;
  /** Unix seconds of the last attempt, successful or not; null before the first. */
  readonly lastAttemptSeconds: number | null;
  /** Why the last attempt failed; null when it succeeded. Never contains secrets. */
  readonly lastError: { readonly reason: ErrorReason; readonly message: string } | null;
}

/**
 * Why a resource (or a part of it) could not be read in the poll that last read it: its data is
 * unreadable (a broken PEM, an unreadable time, a CA file with unreadable parts) or the call
 * that reads it failed. Kept with the resource's state, so it lasts exactly as long as the state
 * it explains: gone at the first poll that reads the resource cleanly, kept while the whole
 * source fails.
 */
export interface ResourceProblem {
  readonly reason: ErrorReason;
  /** Secret-free words for people: no URL query, header, key material or certificate bytes. */
  readonly message: string;
}

/** The configured owner tags (HWCERT_OWNER_TAGS) a resource carries: tag key → value. */
export type OwnerTags = Readonly<Record<string, string>>;

/** What every source's snapshot holds besides its resources. */
export interface SourceSnapshotBase extends SourceKey, SourceStatus {}

export interface PollSummary {
  readonly startedAtSeconds: number;
  readonly finishedAtSeconds: number;
}

export interface Snapshot<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly sources: readonly S[];
  /** Completed polls since start-up; 0 until the first poll finished. */
  readonly completedPolls: number;
  readonly lastPoll: PollSummary | null;
}

/**
 * A failed attempt: the source keeps its last good resources (and its last success time) and
 * shows down with the reason. The error's message is secret-free by construction.
 */
export function markFailed<S extends SourceSnapshotBase>(
  previous: S,
  attemptedAtSeconds: number,
  error: { readonly reason: ErrorReason; readonly message: string },
): S {
  return {
    ...previous,
    up: false,
    lastAttemptSeconds: attemptedAtSeconds,
    lastError: { reason: error.reason, message: error.message },
  };
}

export function initialStatus(): SourceStatus {
  return { up: false, lastSuccessSeconds: null, lastAttemptSeconds: null, lastError: null };
}
