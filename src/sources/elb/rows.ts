// ELB certificates' rows in the status model: one per X.509 certificate of the PEM, with the
// listeners that use it, plus the API's expire_time when no readable certificate accounts for
// it. What the rows are only; status/rows.ts judges them.

import {
  resourceFields,
  x509Fields,
  type CertificateDraft,
  type SourceRows,
  type X509Fields,
} from "../../status/rows.js";
import type { ElbCertificateState, ElbSourceSnapshot } from "./snapshot.js";

/** An expire_time within this of a parsed notAfter is that certificate's (no extra row). */
const SAME_TIME_TOLERANCE_SECONDS = 1;

export function elbRows(snapshot: ElbSourceSnapshot): SourceRows {
  const certificates: CertificateDraft[] = [];
  for (const certificate of snapshot.certificates.values()) {
    const resource = {
      ...resourceFields(certificate),
      listeners: snapshot.listenerBindings
        ? (snapshot.listenerBindings.get(certificate.id) ?? [])
        : null,
      ccmCertificateId: certificate.ccmCertificateId,
    };
    for (const x509 of certificate.certificates) {
      certificates.push({ ...resource, ...x509Fields(x509) });
    }
    const expireTime = expireTimeFields(certificate);
    if (expireTime !== null) certificates.push({ ...resource, ...expireTime });
  }
  return { certificates, instances: [] };
}

/**
 * The API's expire_time as a row of its own when no readable certificate accounts for it: a
 * broken PEM, or one whose leaf is the unreadable part. null when it needs none.
 */
function expireTimeFields(
  certificate: ElbCertificateState,
): (X509Fields & Pick<CertificateDraft, "lifetime">) | null {
  const expire = certificate.expireTimeSeconds;
  if (
    expire === null ||
    certificate.certificates.some(
      (x509) => Math.abs(x509.notAfter - expire) <= SAME_TIME_TOLERANCE_SECONDS,
    )
  ) {
    return null;
  }
  const leaf = certificate.certificates.find((x509) => x509.chainPosition === "leaf");
  return {
    kind: "expire_time",
    chainPosition: null,
    subjectCn: "",
    issuerCn: "",
    serialNumber: "",
    fingerprintSha256: "",
    notBefore: leaf?.notBefore ?? null,
    notAfter: expire,
    // As the rules: the leaf's own lifetime when there is one (not from its notBefore to an
    // expire_time that disagrees with it), else the absolute limits.
    lifetime: leaf
      ? { notBefore: leaf.notBefore, notAfter: leaf.notAfter }
      : { notBefore: null, notAfter: expire },
  };
}
