// The per-resource problems of one source snapshot as one flat list: what
// hwcert_resource_problem exports, what the status model lists and what the problem log compares
// from poll to poll, so the three never disagree. Pure: it reads the problems the pollers stored
// with each resource, through the source's module (never by source name), and decides nothing.

import type { BundleIssue } from "../certs/types.js";
import { assertModuleOf, type SourceName } from "../source-names.js";
import type { ResourceProblem, SourceSnapshotBase } from "./snapshot.js";

/** A resource as the problem list reads it (a ResourceView, src/sources/source.ts). */
export interface ProblemResource {
  readonly id: string;
  readonly name: string;
  /** In a stable order; `category` names the failing part (a link category) or is "". */
  readonly problems: readonly (ResourceProblem & { readonly category: string })[];
}

/** What the problem list needs of a source module. */
export interface ProblemSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  resources(snapshot: S): Iterable<ProblemResource>;
}

export interface LocatedProblem extends ResourceProblem {
  readonly resourceId: string;
  readonly resourceName: string;
  /** GeminiDB: the CA download link's category (may be ""); "" for other sources. */
  readonly category: string;
}

const NO_PROBLEMS: readonly (ResourceProblem & { readonly category: string })[] = [];

/**
 * A resource's problems that belong to the whole resource (no part, category ""): for a
 * ResourceView. A resource without problems, nearly all of them, costs no allocation.
 */
export function wholeResourceProblems(
  problems: readonly ResourceProblem[],
): readonly (ResourceProblem & { readonly category: string })[] {
  return problems.length === 0
    ? NO_PROBLEMS
    : problems.map((problem) => ({ ...problem, category: "" }));
}

/**
 * Every problem of the source's resources, resource by resource in the snapshot's order (a
 * resource's problems are adjacent). `module` must be the snapshot's own (see moduleOf).
 */
export function resourceProblems<S extends SourceSnapshotBase>(
  module: ProblemSource<S>,
  source: S,
): LocatedProblem[] {
  assertModuleOf(module, source);
  const found: LocatedProblem[] = [];
  for (const resource of module.resources(source)) {
    for (const problem of resource.problems) {
      found.push({
        resourceId: resource.id,
        resourceName: resource.name,
        category: problem.category,
        reason: problem.reason,
        message: problem.message,
      });
    }
  }
  return found;
}

/** Most issue details one problem message quotes; the rest are counted. */
const MAX_QUOTED_ISSUES = 3;

/**
 * The distinct details of a bundle's issues for a problem message, e.g. `PEM certificate block
 * 2 is not valid base64; ZIP entry 1 is encrypted (+2 more)`: short, and as stable as the bytes.
 */
export function quoteIssues(issues: readonly BundleIssue[]): string {
  const details = [...new Set(issues.map((issue) => issue.detail))];
  const quoted = details.slice(0, MAX_QUOTED_ISSUES).join("; ");
  const rest = details.length - MAX_QUOTED_ISSUES;
  return rest > 0 ? `${quoted} (+${String(rest)} more)` : quoted;
}

/** `no readable certificates`, `1 readable certificate`, `3 readable certificates`. */
export function readableCount(count: number): string {
  return `${count === 0 ? "no" : String(count)} readable certificate${count === 1 ? "" : "s"}`;
}
