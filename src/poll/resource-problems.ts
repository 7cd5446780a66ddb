// The per-resource problems of one source snapshot as one flat list: what
// hwcert_resource_problem exports, what the status model lists and what the problem log compares
// from poll to poll, so the three never disagree. Pure: it reads the problems the pollers stored
// with each resource and decides nothing itself.

import type { BundleIssue } from "../certs/types.js";
import type { ResourceProblem, SourceSnapshot } from "./snapshot.js";

/** What kind of resource a problem belongs to, by source. */
export const RESOURCE_KINDS = {
  elb: "elb_certificate",
  geminidb: "geminidb_instance",
  ccm: "ccm_certificate",
} as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[keyof typeof RESOURCE_KINDS];

export interface LocatedProblem extends ResourceProblem {
  readonly resourceId: string;
  readonly resourceName: string;
  /** GeminiDB: the CA download link's category (may be ""); "" for other sources. */
  readonly category: string;
}

/**
 * Every problem of the source's resources, resource by resource in the snapshot's order (a
 * resource's problems are adjacent). Resources without problems cost one check each.
 */
export function resourceProblems(source: SourceSnapshot): LocatedProblem[] {
  const found: LocatedProblem[] = [];
  if (source.source === "geminidb") {
    for (const instance of source.instances.values()) {
      for (const link of instance.links) {
        if (link.problem === null) continue;
        found.push({
          resourceId: instance.id,
          resourceName: instance.name,
          category: link.category,
          ...link.problem,
        });
      }
    }
    return found;
  }
  for (const certificate of source.certificates.values()) {
    for (const problem of certificate.problems) {
      found.push({
        resourceId: certificate.id,
        resourceName: certificate.name,
        category: "",
        ...problem,
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
