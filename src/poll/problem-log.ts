// Logs per-resource problems once per change instead of once per poll: a problem is logged at
// warn when it appears or its message changes, at debug while it stays the same, and at info
// once when it is gone. The previous snapshot is the memory (no state here), so a problem kept
// through a failed poll is neither repeated nor forgotten. It does not count errors: the pollers
// count every occurrence in hwcert_errors_total as before.

import type { Logger } from "../log/logger.js";
import type { LocatedProblem } from "./resource-problems.js";

/** One problem: a reason of one resource (and of one GeminiDB link category). */
function problemKey(problem: LocatedProblem): string {
  return `${problem.resourceId}\u0000${problem.category}\u0000${problem.reason}`;
}

function fields(problem: LocatedProblem): Record<string, unknown> {
  return {
    resourceId: problem.resourceId,
    resourceName: problem.resourceName,
    ...(problem.category === "" ? {} : { category: problem.category }),
    reason: problem.reason,
    detail: problem.message,
  };
}

/**
 * Compares the problems a source had after its previous poll with those after this one, on a
 * logger that already names the source and project. Call it only for a poll that read the
 * source (a failed poll changes nothing and says nothing).
 */
export function logProblemChanges(
  log: Logger,
  previous: readonly LocatedProblem[],
  next: readonly LocatedProblem[],
): void {
  const before = new Map(previous.map((problem) => [problemKey(problem), problem]));
  const after = new Set<string>();
  for (const problem of next) {
    const key = problemKey(problem);
    after.add(key);
    const last = before.get(key);
    if (last === undefined) {
      log.warn(fields(problem), "resource problem");
    } else if (last.message !== problem.message) {
      log.warn({ ...fields(problem), previousDetail: last.message }, "resource problem");
    } else {
      log.debug(fields(problem), "resource problem unchanged");
    }
  }
  for (const [key, problem] of before) {
    if (after.has(key)) continue;
    // Fixed, or the resource was deleted: either way nothing is wrong with it any more.
    log.info(fields(problem), "resource problem resolved");
  }
}
