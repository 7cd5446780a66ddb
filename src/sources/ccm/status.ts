// Maps Cloud Certificate Manager's raw certificate status onto the exporter's five values. Pure.
// The raw value always travels along (api_status), so an unknown status is visible, not lost.

import type { CcmStatus } from "./snapshot.js";

/**
 * Orders, applications and reviews still in progress. UPLOAD ("being hosted") is counted here
 * as the API reference lists it among the in-progress states; its expiry is reported all the
 * same. CANCLEREVOKING (sic, as the SDK spells it) is a withdrawn revocation under review.
 */
const PENDING = new Set([
  "CANCLEREVOKING",
  "PAID",
  "CHECKING",
  "CHECKING_ORG",
  "ISSUING",
  "APPLYING",
  "UPLOAD",
  "CANCELCHECKING",
  "SUPPLEMENTCHECKING",
  "CANCELSUPPLEMENTING",
]);

export function classifyCcmStatus(apiStatus: string): CcmStatus {
  const status = apiStatus.trim().toUpperCase();
  if (status === "ISSUED") return "issued";
  if (status === "EXPIRED") return "expired";
  if (status === "REVOKED" || status === "REVOKING") return "revoked";
  if (PENDING.has(status)) return "pending";
  return "other";
}
