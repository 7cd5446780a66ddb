// A Cloud Certificate Manager source's last-good state: the account's certificates.

import type { CcmCertificate } from "./api.js";
import {
  initialStatus,
  type ResourceProblem,
  type SourceKey,
  type SourceStatus,
} from "../../poll/snapshot.js";

/** What the exporter makes of a CCM certificate's raw status (see status.ts). */
export const CCM_STATUSES = ["issued", "pending", "expired", "revoked", "other"] as const;
export type CcmStatus = (typeof CCM_STATUSES)[number];

/** A certificate's identity and details as the list gave them, and what the poll made of them. */
export interface CcmCertificateState extends Pick<
  CcmCertificate,
  "id" | "name" | "domain" | "sans" | "type" | "brand" | "signatureAlgorithm"
> {
  /** The API's status as it came, e.g. ISSUED. */
  readonly apiStatus: string;
  readonly status: CcmStatus;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
  /** Unix seconds from the details call; null when unknown (not issued, or unreadable). */
  readonly notBefore: number | null;
  readonly notAfter: number | null;
  /**
   * The list fields the details were read for: while the list shows the same, the details are
   * not fetched again. null when the last details call failed (retried next poll).
   */
  readonly detailsFor: string | null;
  /** What could not be read (the details call, a time); one entry per reason, empty when none. */
  readonly problems: readonly ResourceProblem[];
}

export interface CcmSourceSnapshot extends SourceKey, SourceStatus {
  readonly source: "ccm";
  /** Keyed by CCM certificate id, in list order. */
  readonly certificates: ReadonlyMap<string, CcmCertificateState>;
}

export function initialCcmSnapshot(key: Omit<SourceKey, "source">): CcmSourceSnapshot {
  return {
    source: "ccm",
    region: key.region,
    projectId: key.projectId,
    ...initialStatus(),
    certificates: new Map(),
  };
}
