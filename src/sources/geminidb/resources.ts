// GeminiDB instances as the generic layers read them (see ResourceView). A CA served under two
// download categories is one certificate of the instance.

import type { ParsedCertificate } from "../../certs/types.js";
import { ownerTagValue } from "../../poll/owner-tags.js";
import type { ResourceView } from "../source.js";
import type { GeminiDbInstanceState, GeminiDbSourceSnapshot } from "./snapshot.js";

export function* geminiDbResources(snapshot: GeminiDbSourceSnapshot): Iterable<ResourceView> {
  for (const instance of snapshot.instances.values()) {
    yield {
      id: instance.id,
      name: instance.name,
      type: instance.datastoreType,
      enterpriseProjectId: instance.enterpriseProjectId,
      ownerTag: (key) => ownerTagValue(instance.tags, key),
      certificates: distinctCertificates(instance),
      ccmCertificateId: instance.ccmCertificateId,
      problems: instance.links.flatMap((link) =>
        link.problem === null ? [] : [{ ...link.problem, category: link.category }],
      ),
    };
  }
}

/** The certificates of every link of an instance, each fingerprint once, in link order. */
export function distinctCertificates(
  instance: GeminiDbInstanceState,
): readonly ParsedCertificate[] {
  if (instance.links.length === 1) return instance.links[0]?.certificates ?? [];
  const seen = new Map<string, ParsedCertificate>();
  for (const link of instance.links) {
    for (const x509 of link.certificates) {
      if (!seen.has(x509.fingerprintSha256)) seen.set(x509.fingerprintSha256, x509);
    }
  }
  return [...seen.values()];
}
