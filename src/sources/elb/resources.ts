// ELB certificates as the generic layers read them (see ResourceView). An ELB certificate has no
// tags of its own: its owner tags are those of the listeners that use it.

import { ownerTagValue } from "../../poll/owner-tags.js";
import { wholeResourceProblems } from "../../poll/resource-problems.js";
import type { ResourceView } from "../source.js";
import type { ElbSourceSnapshot, ListenerBinding } from "./snapshot.js";

export function* elbResources(snapshot: ElbSourceSnapshot): Iterable<ResourceView> {
  for (const certificate of snapshot.certificates.values()) {
    const uses = snapshot.listenerBindings?.get(certificate.id) ?? [];
    yield {
      id: certificate.id,
      name: certificate.name,
      type: certificate.type,
      enterpriseProjectId: certificate.enterpriseProjectId,
      ownerTag: (key) => listenerTagValue(uses, key),
      certificates: certificate.certificates,
      ccmCertificateId: certificate.ccmCertificateId,
      problems: wholeResourceProblems(certificate.problems),
    };
  }
}

/**
 * An ELB certificate's tag value: from the listeners that use it; their distinct values sorted
 * and joined with "," when they disagree.
 */
function listenerTagValue(uses: readonly ListenerBinding[], key: string): string {
  const values = new Set<string>();
  for (const use of uses) {
    const value = ownerTagValue(use.tags, key);
    if (value !== "") values.add(value);
  }
  return [...values].sort().join(",");
}
