// Cloud Certificate Manager certificates as the generic layers read them (see ResourceView).
// CCM hands out no certificate bytes: its expiry comes from the API (see rows and families).

import { wholeResourceProblems } from "../../poll/resource-problems.js";
import type { ResourceView } from "../source.js";
import type { CcmSourceSnapshot } from "./snapshot.js";

export function* ccmResources(snapshot: CcmSourceSnapshot): Iterable<ResourceView> {
  for (const certificate of snapshot.certificates.values()) {
    yield {
      id: certificate.id,
      name: certificate.name,
      type: certificate.type,
      enterpriseProjectId: certificate.enterpriseProjectId,
      // CCM certificate tags are not read (yet): enterprise project only.
      ownerTag: () => "",
      certificates: [],
      ccmCertificateId: null,
      problems: wholeResourceProblems(certificate.problems),
    };
  }
}
