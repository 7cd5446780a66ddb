// Cloud Certificate Manager's own metric families: validity, status and details as CCM reports
// them (it hands out no certificate bytes, so the shared X.509 families stay empty for it).
// Their names, HELP and labels are part of the metric contract.

import { POLLED } from "../../metrics/contract.js";
import {
  defineFamily,
  type FamilySpec,
  type LabelRecord,
  type SourceFamilies,
  type SourceFamily,
} from "../../metrics/family.js";
import { CCM_STATUSES, type CcmCertificateState, type CcmSourceSnapshot } from "./snapshot.js";

const CCM_LABELS = [
  "region",
  "project_id",
  "certificate_id",
  "certificate_name",
  "domain",
] as const;

export const CCM_METRICS = {
  ccmExpire: {
    name: "hwcert_ccm_certificate_expire_timestamp_seconds",
    help: `notAfter (Unix seconds) of a Cloud Certificate Manager SSL certificate, from its details; absent while unknown. ${POLLED}`,
    labelNames: CCM_LABELS,
  },
  ccmNotBefore: {
    name: "hwcert_ccm_certificate_not_before_timestamp_seconds",
    help: `notBefore (Unix seconds) of a Cloud Certificate Manager SSL certificate; absent while unknown. ${POLLED}`,
    labelNames: CCM_LABELS,
  },
  ccmStatus: {
    name: "hwcert_ccm_certificate_status",
    help: `Status of a Cloud Certificate Manager certificate: 1 for the current one of issued, pending, expired, revoked, other; 0 for the rest. ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "status"],
  },
  ccmInfo: {
    name: "hwcert_ccm_certificate_info",
    help: `Details of each Cloud Certificate Manager certificate (always 1); api_status is the API's own status. ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "certificate_id",
      "certificate_name",
      "domain",
      "sans",
      "type",
      "brand",
      "signature_algorithm",
      "api_status",
    ],
  },
} as const;

/** The labels that name a certificate, first in most of CCM's families. */
function certificateLabels(
  snapshot: CcmSourceSnapshot,
  certificate: CcmCertificateState,
): LabelRecord<typeof CCM_LABELS> {
  return {
    region: snapshot.region,
    project_id: snapshot.projectId,
    certificate_id: certificate.id,
    certificate_name: certificate.name,
    domain: certificate.domain,
  };
}

/** A validity bound of each certificate; none while unknown (null or not positive). */
function timeFamily(
  spec: FamilySpec<typeof CCM_LABELS>,
  field: "notBefore" | "notAfter",
): SourceFamily<CcmSourceSnapshot> {
  return defineFamily(spec, (snapshot: CcmSourceSnapshot, family) => {
    for (const certificate of snapshot.certificates.values()) {
      const value = certificate[field];
      if (value === null || value <= 0) continue;
      family.set(certificateLabels(snapshot, certificate), value);
      family.endResource();
    }
  });
}

const status = defineFamily(CCM_METRICS.ccmStatus, (snapshot: CcmSourceSnapshot, family) => {
  for (const certificate of snapshot.certificates.values()) {
    for (const name of CCM_STATUSES) {
      family.set(
        {
          region: snapshot.region,
          project_id: snapshot.projectId,
          certificate_id: certificate.id,
          status: name,
        },
        certificate.status === name ? 1 : 0,
      );
    }
    family.endResource();
  }
});

const info = defineFamily(CCM_METRICS.ccmInfo, (snapshot: CcmSourceSnapshot, family) => {
  for (const certificate of snapshot.certificates.values()) {
    family.set(
      {
        ...certificateLabels(snapshot, certificate),
        sans: certificate.sans,
        type: certificate.type,
        brand: certificate.brand,
        signature_algorithm: certificate.signatureAlgorithm,
        api_status: certificate.apiStatus,
      },
      1,
    );
    family.endResource();
  }
});

/** After the shared families and GeminiDB's, as CCM came last (see metrics/polled-families.ts). */
export const ccmFamilies: SourceFamilies<CcmSourceSnapshot> = {
  leading: [],
  trailing: [
    timeFamily(CCM_METRICS.ccmExpire, "notAfter"),
    timeFamily(CCM_METRICS.ccmNotBefore, "notBefore"),
    status,
    info,
  ],
};
