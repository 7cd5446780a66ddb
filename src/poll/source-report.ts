// How a source poller reports what went wrong during one poll, the same way for every source:
// a failed API request and a skipped (off-contract) list entry are each counted in
// hwcert_errors_total and logged, on a logger bound to the source and project. What belongs to
// one resource (an unreadable PEM, a failing details call or CA link) is counted at once but
// logged through the problem log at the end of the poll: once when it appears, not every poll.

import type { CloudApiError } from "../cloud/errors.js";
import type { Logger } from "../log/logger.js";
import type { SourcePollDependencies } from "./poller.js";
import { logProblemChanges } from "./problem-log.js";
import { resourceProblems, type ProblemSource } from "./resource-problems.js";
import { SOURCE_CATALOGUE } from "../source-names.js";
import type { SourceSnapshotBase } from "./snapshot.js";

export interface SourceReport<S extends SourceSnapshotBase> {
  readonly log: Logger;
  /** Counts and logs a failed API request; `context` names the resource it was for. */
  readonly reportApiError: (error: CloudApiError, context?: Record<string, unknown>) => void;
  /**
   * Counts a failed API request for one resource that becomes that resource's problem; logged
   * here at debug only (with its request id), since the problem log reports the problem.
   */
  readonly countResourceApiError: (error: CloudApiError, context: Record<string, unknown>) => void;
  /** Counts and logs a list entry that was skipped because it is off-contract. */
  readonly onShapeProblem: (problem: { operation: string; detail: string }) => void;
  /** How many list entries were skipped so far in this poll. */
  readonly skipped: () => number;
  /** Logs how the resources' problems changed from `previous` to `next` (a successful poll). */
  readonly logProblems: (previous: S, next: S) => void;
}

export function sourceReport<S extends SourceSnapshotBase>(
  deps: Pick<SourcePollDependencies, "logger" | "recordError">,
  /** The source polled: its name, and how its problems are listed. */
  source: ProblemSource<S>,
  projectId: string,
): SourceReport<S> {
  const log = deps.logger.child({ source: source.name, projectId });
  const label = SOURCE_CATALOGUE[source.name].label;
  const apiFailed = `${label} API request failed`;
  const entrySkipped = `${label} list entry skipped`;
  let skipped = 0;
  return {
    log,
    reportApiError: (error, context = {}) => {
      deps.recordError(error.reason);
      log.warn({ ...context, ...error.toLogFields() }, apiFailed);
    },
    countResourceApiError: (error, context) => {
      deps.recordError(error.reason);
      log.debug({ ...context, ...error.toLogFields() }, apiFailed);
    },
    onShapeProblem: (problem) => {
      skipped++;
      deps.recordError("api_shape");
      log.warn(problem, entrySkipped);
    },
    skipped: () => skipped,
    logProblems: (previous, next) => {
      logProblemChanges(log, resourceProblems(source, previous), resourceProblems(source, next));
    },
  };
}
