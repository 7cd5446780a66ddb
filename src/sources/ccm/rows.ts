// Cloud Certificate Manager certificates' rows in the status model: one per issued certificate,
// its validity and status as CCM's API reports them (CCM hands out no certificate bytes), with
// the resources that use it. What the rows are only; status/rows.ts judges them.

import { statusAlarm, type UsageContext } from "../../status/severity.js";
import { resourceFields, type CertificateDraft, type SourceRows } from "../../status/rows.js";
import type { CcmSourceSnapshot } from "./snapshot.js";

export function ccmRows(snapshot: CcmSourceSnapshot, context: UsageContext): SourceRows {
  const certificates: CertificateDraft[] = [];
  for (const certificate of snapshot.certificates.values()) {
    // Not issued yet (or its details unreadable): no expiry to show.
    if (certificate.notAfter === null) continue;
    certificates.push({
      ...resourceFields(certificate),
      kind: "ccm",
      chainPosition: null,
      subjectCn: certificate.domain,
      issuerCn: certificate.brand,
      serialNumber: "",
      fingerprintSha256: "",
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      ccmCertificateId: certificate.id,
      ccmStatus: certificate.apiStatus,
      usedBy: context.ccmUsers.get(certificate.id) ?? [],
      statusAlarm: statusAlarm(certificate.status),
    });
  }
  return { certificates, instances: [] };
}
