// The status model's row types, and the one place a row is judged: its thresholds, time left,
// usage and severity (by severity.ts). A source says only what its rows are (a CertificateDraft
// each, src/sources/<name>/rows.ts); it never decides urgency. Pure: no I/O, no clock.

import type { ChainPosition, ParsedCertificate } from "../certs/types.js";
import type { SourceKey } from "../poll/snapshot.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";
import {
  decideSeverity,
  type CcmUser,
  type ExpiryThresholds,
  type Severity,
  type StatusAlarm,
  type Usage,
  type Validity,
} from "./severity.js";

/** How a listener uses a certificate (ELB): its default one, an SNI one, or its client CA. */
export interface ListenerUse {
  readonly role: "default" | "sni" | "client_ca";
  readonly listenerId: string;
  readonly listenerName: string;
  readonly protocol: string;
  /** null when the API did not give the listener's port. */
  readonly port: number | null;
  /** The listener's load balancer ids joined by "," (usually one); "" when none. */
  readonly loadBalancerId: string;
}

/**
 * One row of the certificate table: an X.509 certificate, an ELB expire_time alone, or a Cloud
 * Certificate Manager certificate (its API validity; CCM hands out no certificate bytes).
 */
export interface CertificateRow {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  /** ELB certificate id / GeminiDB instance id, and its name. */
  readonly resourceId: string;
  readonly resourceName: string;
  /** ELB certificate type (`server`, `client`) or GeminiDB datastore type (`cassandra`, …). */
  readonly resourceType: string;
  /** `x509`: from the certificate itself; `expire_time`: the ELB API's word only; `ccm`: CCM's. */
  readonly kind: "x509" | "expire_time" | "ccm";
  /** null for expire_time rows. */
  readonly chainPosition: ChainPosition | null;
  readonly subjectCn: string;
  readonly issuerCn: string;
  readonly serialNumber: string;
  readonly fingerprintSha256: string;
  /** Unix seconds; notBefore null when unknown. */
  readonly notBefore: number | null;
  readonly notAfter: number;
  readonly secondsLeft: number;
  readonly thresholds: ExpiryThresholds;
  /** Whether the resource is in use (severity.ts decideUsage); stored rows never page. */
  readonly usage: Usage;
  readonly severity: Severity;
  /**
   * ELB: the listeners using the certificate, empty when it is only stored; null when the
   * listener list has not been read (unknown) and for sources without listeners.
   */
  readonly listeners: readonly ListenerUse[] | null;
  /**
   * The Cloud Certificate Manager certificate to renew: the one an ELB certificate is managed
   * by, or a CCM row's own id. null when none.
   */
  readonly ccmCertificateId: string | null;
  /** CCM rows: the API's status (ISSUED, EXPIRED, …); null for other rows. */
  readonly ccmStatus: string | null;
  /**
   * CCM rows: the ELB certificates and GeminiDB instances that use the certificate, in any
   * project or region (empty: none seen); null for other rows.
   */
  readonly usedBy: readonly CcmUser[] | null;
}

/** The judged fields of a row: what this module adds to a source's draft. */
type JudgedFields = "source" | "region" | "projectId" | "secondsLeft" | "thresholds" | "usage";

/** What a source says one certificate row is; judgeRow adds the judgement. */
export interface CertificateDraft extends Omit<CertificateRow, JudgedFields | "severity"> {
  /** What Cloud Certificate Manager says is wrong with it (CCM rows); null: nothing. */
  readonly statusAlarm: StatusAlarm;
  /**
   * Whose lifetime sets the thresholds when not the row's own validity: an ELB expire_time row
   * follows its leaf's, as the alert rules do.
   */
  readonly lifetime?: Validity;
}

/** The row fields read from an X.509 certificate itself. */
export type X509Fields = Pick<
  CertificateDraft,
  | "kind"
  | "chainPosition"
  | "subjectCn"
  | "issuerCn"
  | "serialNumber"
  | "fingerprintSha256"
  | "notBefore"
  | "notAfter"
>;

export function x509Fields(x509: ParsedCertificate): X509Fields {
  return {
    kind: "x509",
    chainPosition: x509.chainPosition,
    subjectCn: x509.subjectCn,
    issuerCn: x509.issuerCn,
    serialNumber: x509.serialNumber,
    fingerprintSha256: x509.fingerprintSha256,
    notBefore: x509.notBefore,
    notAfter: x509.notAfter,
  };
}

/** The resource a draft belongs to, with the defaults of a row no source annotates further. */
export function resourceFields(resource: {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}): Omit<CertificateDraft, keyof X509Fields> {
  return {
    resourceId: resource.id,
    resourceName: resource.name,
    resourceType: resource.type,
    listeners: null,
    ccmCertificateId: null,
    ccmStatus: null,
    usedBy: null,
    statusAlarm: null,
  };
}

export interface CaLinkRow {
  readonly category: string;
  readonly up: boolean;
  readonly statusCode: number;
  readonly durationSeconds: number | null;
  readonly reason: ErrorReason | null;
  readonly certificates: number;
}

export interface InstanceRow {
  readonly region: string;
  readonly projectId: string;
  readonly id: string;
  readonly name: string;
  readonly datastoreType: string;
  readonly ssl: "0" | "1" | "";
  /** `download_link` (probed), `ccm` (kept in Cloud Certificate Manager), `""` (SSL off). */
  readonly certOrigin: "download_link" | "ccm" | "";
  /** The Cloud Certificate Manager certificate the instance uses; null when none. */
  readonly ccmCertificateId: string | null;
  /** Empty when not probed (SSL off, or the certificate lives in CCM). */
  readonly links: readonly CaLinkRow[];
}

/** A source's part of the status model (a SourceModule's `rows`). */
export interface SourceRows {
  readonly certificates: readonly CertificateDraft[];
  /** The GeminiDB CA download link table; empty for sources without instances. */
  readonly instances: readonly InstanceRow[];
}

/** What judging a row needs besides the draft. */
export interface RowJudge {
  /** Unix seconds. */
  readonly now: number;
  /** The threshold rule for one certificate of a resource (StatusInput.thresholds). */
  readonly thresholds: (validity: Validity, resourceId: string) => ExpiryThresholds;
  /** The resource's usage (its source module's `usage`). */
  readonly usage: (resourceId: string) => Usage;
  /** Judge stored resources as if in use; the row still says stored. */
  readonly includeStored: boolean;
}

/** A draft of `source` made a row: thresholds, time left, usage and severity added. */
export function judgeRow(
  source: SourceKey,
  draft: CertificateDraft,
  judge: RowJudge,
): CertificateRow {
  const lifetime = draft.lifetime ?? { notBefore: draft.notBefore, notAfter: draft.notAfter };
  const thresholds = judge.thresholds(lifetime, draft.resourceId);
  const secondsLeft = draft.notAfter - judge.now;
  const usage = judge.usage(draft.resourceId);
  const severity = decideSeverity({
    secondsLeft,
    thresholds,
    usage: usage === "stored" && judge.includeStored ? "in_use" : usage,
    statusAlarm: draft.statusAlarm,
  });
  return {
    source: source.source,
    region: source.region,
    projectId: source.projectId,
    resourceId: draft.resourceId,
    resourceName: draft.resourceName,
    resourceType: draft.resourceType,
    kind: draft.kind,
    chainPosition: draft.chainPosition,
    subjectCn: draft.subjectCn,
    issuerCn: draft.issuerCn,
    serialNumber: draft.serialNumber,
    fingerprintSha256: draft.fingerprintSha256,
    notBefore: draft.notBefore,
    notAfter: draft.notAfter,
    secondsLeft,
    thresholds,
    usage,
    severity,
    listeners: draft.listeners,
    ccmCertificateId: draft.ccmCertificateId,
    ccmStatus: draft.ccmStatus,
    usedBy: draft.usedBy,
  };
}
