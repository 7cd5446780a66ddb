// Builds the status model, the one view of a poll's results that the status page, its JSON and
// the `check` command all render: every certificate with its time left, usage and severity (as
// severity.ts decides them), each source's health, each GeminiDB instance's CA links, and what
// could not be read. Pure: the snapshot, the time and the threshold rule come in; no I/O, no
// clock, no formatting.

import type { ChainPosition, ParsedCertificate } from "../certs/types.js";
import { resourceCount, type Snapshot, type SourceSnapshot } from "../poll/snapshot.js";
import {
  linkKey,
  type CertificateOrigin,
  type GeminiDbSourceSnapshot,
} from "../sources/geminidb/snapshot.js";
import { type CcmCertificateState, type CcmSourceSnapshot } from "../sources/ccm/snapshot.js";
import { type ElbSourceSnapshot, type ListenerBinding } from "../sources/elb/snapshot.js";
import { RESOURCE_KINDS, resourceProblems, type ResourceKind } from "../poll/resource-problems.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";
import {
  ccmCertificateUsers,
  decideSeverity,
  resourceUsage,
  SEVERITIES,
  statusAlarm,
  type CcmUser,
  type ExpiryThresholds,
  type Severity,
  type Usage,
  type UsageContext,
  type Validity,
} from "./severity.js";

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
  readonly listeners: readonly ListenerBinding[] | null;
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

export interface SourceRow {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  /** false also before the first attempt; see lastAttemptSeconds. */
  readonly up: boolean;
  readonly lastSuccessSeconds: number | null;
  readonly lastAttemptSeconds: number | null;
  readonly lastError: { readonly reason: ErrorReason; readonly message: string } | null;
  /** Certificates (ELB) or instances (GeminiDB) currently held. */
  readonly resources: number;
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
  readonly certOrigin: CertificateOrigin;
  /** The Cloud Certificate Manager certificate the instance uses; null when none. */
  readonly ccmCertificateId: string | null;
  /** Empty when not probed (SSL off, or the certificate lives in CCM). */
  readonly links: readonly CaLinkRow[];
}

/**
 * Something that could not be read: a whole source (in its last attempt), or one resource in
 * the last poll that read it (an ELB certificate's PEM, a GeminiDB CA link, a CCM certificate's
 * details; see resource-problems.ts).
 */
export interface Problem {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  /** null for a whole source. */
  readonly resource: {
    readonly id: string;
    readonly name: string;
    readonly kind: ResourceKind;
    /** GeminiDB: the CA download link's category (may be ""); "" for other sources. */
    readonly category: string;
  } | null;
  readonly reason: ErrorReason | null;
  /** Secret-free text (cloud errors are built without URLs or headers, then scrubbed). */
  readonly message: string;
}

export interface StatusModel {
  readonly version: string;
  readonly generatedAtSeconds: number;
  readonly completedPolls: number;
  readonly lastPoll: {
    readonly startedAtSeconds: number;
    readonly finishedAtSeconds: number;
  } | null;
  readonly nextPollSeconds: number | null;
  readonly pollInProgress: boolean;
  /** Sorted by time left, expired first. */
  readonly certificates: readonly CertificateRow[];
  readonly counts: Readonly<Record<Severity, number>>;
  readonly sources: readonly SourceRow[];
  readonly instances: readonly InstanceRow[];
  readonly problems: readonly Problem[];
}

export interface StatusInput {
  readonly snapshot: Snapshot;
  readonly version: string;
  /** Unix seconds. */
  readonly now: number;
  readonly nextPollSeconds: number | null;
  readonly pollInProgress: boolean;
  /**
   * The threshold rule for one certificate of a resource: lifetime-relative (page) or fixed days
   * (check), unless the operator set the resource's own.
   */
  readonly thresholds: (validity: Validity, resourceId: string) => ExpiryThresholds;
  /** Applied to every error message shown (the daemon's secret scrubber). */
  readonly redact?: (text: string) => string;
  /** Resource ids the operator marked as only stored (HWCERT_STORED_CERTIFICATES). */
  readonly storedCertificates?: ReadonlySet<string>;
  /**
   * Judge stored certificates as if they were in use (`check --include-stored`); their rows
   * still say they are stored.
   */
  readonly includeStored?: boolean;
}

/** The resource a certificate row belongs to. */
interface ResourceRef {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly listeners: readonly ListenerBinding[] | null;
}

/** An expire_time within this of a parsed notAfter is that certificate's (no extra row). */
const SAME_TIME_TOLERANCE_SECONDS = 1;

const CHAIN_ORDER: Readonly<Record<ChainPosition, number>> = { leaf: 0, intermediate: 1, root: 2 };

export function buildStatusModel(input: StatusInput): StatusModel {
  const redact = input.redact ?? ((text: string) => text);
  const certificates: CertificateRow[] = [];
  const instances: InstanceRow[] = [];
  const sourceProblems: Problem[] = [];
  const perResource: Problem[] = [];
  const usageContext: UsageContext = {
    storedCertificates: input.storedCertificates ?? new Set(),
    ccmUsers: ccmCertificateUsers(input.snapshot.sources),
  };

  const row = (
    source: SourceSnapshot,
    resource: ResourceRef,
    fields: Pick<
      CertificateRow,
      | "kind"
      | "chainPosition"
      | "subjectCn"
      | "issuerCn"
      | "serialNumber"
      | "fingerprintSha256"
      | "notBefore"
      | "notAfter"
    >,
    ccm: Pick<CertificateRow, "ccmCertificateId" | "ccmStatus"> = {
      ccmCertificateId: null,
      ccmStatus: null,
    },
    ccmState: CcmCertificateState | null = null,
    /** Whose lifetime sets the thresholds; the row's own validity unless said otherwise. */
    lifetime: Validity = { notBefore: fields.notBefore, notAfter: fields.notAfter },
  ): CertificateRow => {
    const thresholds = input.thresholds(lifetime, resource.id);
    const secondsLeft = fields.notAfter - input.now;
    const usage = resourceUsage(source, resource.id, usageContext);
    const severity = decideSeverity({
      secondsLeft,
      thresholds,
      usage: usage === "stored" && input.includeStored === true ? "in_use" : usage,
      statusAlarm: statusAlarm(ccmState?.status ?? null),
    });
    return {
      source: source.source,
      region: source.region,
      projectId: source.projectId,
      resourceId: resource.id,
      resourceName: resource.name,
      resourceType: resource.type,
      ...fields,
      secondsLeft,
      thresholds,
      usage,
      severity,
      listeners: resource.listeners,
      ...ccm,
      usedBy: ccmState === null ? null : (usageContext.ccmUsers.get(resource.id) ?? []),
    };
  };
  const x509Row = (
    source: SourceSnapshot,
    resource: ResourceRef,
    x509: ParsedCertificate,
    ccmCertificateId: string | null = null,
  ): CertificateRow =>
    row(
      source,
      resource,
      {
        kind: "x509",
        chainPosition: x509.chainPosition,
        subjectCn: x509.subjectCn,
        issuerCn: x509.issuerCn,
        serialNumber: x509.serialNumber,
        fingerprintSha256: x509.fingerprintSha256,
        notBefore: x509.notBefore,
        notAfter: x509.notAfter,
      },
      { ccmCertificateId, ccmStatus: null },
    );

  const addElb = (source: ElbSourceSnapshot): void => {
    for (const certificate of source.certificates.values()) {
      const resource: ResourceRef = {
        id: certificate.id,
        name: certificate.name,
        type: certificate.type,
        listeners: source.listenerBindings
          ? (source.listenerBindings.get(certificate.id) ?? [])
          : null,
      };
      const ccm = { ccmCertificateId: certificate.ccmCertificateId, ccmStatus: null };
      for (const x509 of certificate.certificates) {
        certificates.push(x509Row(source, resource, x509, certificate.ccmCertificateId));
      }
      // The API's expire_time gets a row of its own when no readable certificate accounts for
      // it: a broken PEM, or one whose leaf is the unreadable part.
      const expire = certificate.expireTimeSeconds;
      if (
        expire !== null &&
        !certificate.certificates.some(
          (x509) => Math.abs(x509.notAfter - expire) <= SAME_TIME_TOLERANCE_SECONDS,
        )
      ) {
        const leaf = certificate.certificates.find((x509) => x509.chainPosition === "leaf");
        certificates.push(
          row(
            source,
            resource,
            {
              kind: "expire_time",
              chainPosition: null,
              subjectCn: "",
              issuerCn: "",
              serialNumber: "",
              fingerprintSha256: "",
              notBefore: leaf?.notBefore ?? null,
              notAfter: expire,
            },
            ccm,
            null,
            // As the rules: the leaf's own lifetime when there is one (not from its notBefore to
            // an expire_time that disagrees with it), else the absolute limits.
            leaf
              ? { notBefore: leaf.notBefore, notAfter: leaf.notAfter }
              : { notBefore: null, notAfter: expire },
          ),
        );
      }
    }
  };

  const addGeminiDb = (source: GeminiDbSourceSnapshot): void => {
    for (const instance of source.instances.values()) {
      const resource: ResourceRef = {
        id: instance.id,
        name: instance.name,
        type: instance.datastoreType,
        listeners: null,
      };
      const seen = new Set<string>();
      for (const link of instance.links) {
        for (const x509 of link.certificates) {
          if (seen.has(x509.fingerprintSha256)) continue;
          seen.add(x509.fingerprintSha256);
          certificates.push(x509Row(source, resource, x509));
        }
      }
      instances.push({
        region: source.region,
        projectId: source.projectId,
        id: instance.id,
        name: instance.name,
        datastoreType: instance.datastoreType,
        ssl: instance.ssl,
        certOrigin: instance.certOrigin,
        ccmCertificateId: instance.ccmCertificateId,
        links: instance.links.map((link) => ({
          category: link.category,
          up: link.up,
          statusCode: link.statusCode,
          durationSeconds: source.linkDurations.get(linkKey(instance.id, link.category)) ?? null,
          reason: link.reason,
          certificates: link.certificates.length,
        })),
      });
    }
  };

  const addCcm = (source: CcmSourceSnapshot): void => {
    for (const certificate of source.certificates.values()) {
      // Not issued yet (or its details unreadable): no expiry to show.
      if (certificate.notAfter === null) continue;
      certificates.push(
        row(
          source,
          { id: certificate.id, name: certificate.name, type: certificate.type, listeners: null },
          {
            kind: "ccm",
            chainPosition: null,
            subjectCn: certificate.domain,
            issuerCn: certificate.brand,
            serialNumber: "",
            fingerprintSha256: "",
            notBefore: certificate.notBefore,
            notAfter: certificate.notAfter,
          },
          { ccmCertificateId: certificate.id, ccmStatus: certificate.apiStatus },
          certificate,
        ),
      );
    }
  };

  const sources = input.snapshot.sources.map((source): SourceRow => {
    if (source.source === "elb") addElb(source);
    else if (source.source === "geminidb") addGeminiDb(source);
    else addCcm(source);
    const lastError = source.lastError
      ? { reason: source.lastError.reason, message: redact(source.lastError.message) }
      : null;
    if (!source.up && source.lastAttemptSeconds !== null) {
      sourceProblems.push({
        source: source.source,
        region: source.region,
        projectId: source.projectId,
        resource: null,
        reason: lastError?.reason ?? null,
        message: lastError?.message ?? "the source could not be read",
      });
    }
    for (const problem of resourceProblems(source)) {
      perResource.push({
        source: source.source,
        region: source.region,
        projectId: source.projectId,
        resource: {
          id: problem.resourceId,
          name: problem.resourceName,
          kind: RESOURCE_KINDS[source.source],
          category: problem.category,
        },
        reason: problem.reason,
        message: redact(problem.message),
      });
    }
    return {
      source: source.source,
      region: source.region,
      projectId: source.projectId,
      up: source.up,
      lastSuccessSeconds: source.lastSuccessSeconds,
      lastAttemptSeconds: source.lastAttemptSeconds,
      lastError,
      resources: resourceCount(source),
    };
  });

  certificates.sort(compareRows);
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const certificate of certificates) counts[certificate.severity] += 1;

  const lastPoll = input.snapshot.lastPoll;
  return {
    version: input.version,
    generatedAtSeconds: input.now,
    completedPolls: input.snapshot.completedPolls,
    lastPoll: lastPoll
      ? {
          startedAtSeconds: lastPoll.startedAtSeconds,
          finishedAtSeconds: lastPoll.finishedAtSeconds,
        }
      : null,
    nextPollSeconds: input.nextPollSeconds,
    pollInProgress: input.pollInProgress,
    certificates,
    counts,
    sources,
    instances,
    problems: [...sourceProblems, ...perResource],
  };
}

/** Least time left first; ties by name, then chain position, so the order is stable. */
function compareRows(a: CertificateRow, b: CertificateRow): number {
  return (
    a.secondsLeft - b.secondsLeft ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.resourceName, b.resourceName) ||
    compareText(a.resourceId, b.resourceId) ||
    (a.chainPosition ? CHAIN_ORDER[a.chainPosition] : 3) -
      (b.chainPosition ? CHAIN_ORDER[b.chainPosition] : 3) ||
    compareText(a.serialNumber, b.serialNumber)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
