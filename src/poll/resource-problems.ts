// The per-resource problems of one source snapshot as one flat list: what
// hwcert_resource_problem exports, what the status model lists and what the problem log compares
// from poll to poll, so the three never disagree. Pure: it reads the problems the pollers stored
// with each resource and decides nothing itself.

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
