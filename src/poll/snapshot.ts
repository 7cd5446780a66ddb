// The last-good state of every source, as plain immutable data. A poll produces a new
// SourceSnapshot from the previous one; metrics and pages render from it. A failing source
// keeps its previous resources and only changes its status fields.

import type { ParsedCertificate } from "../certs/types.js";
import type { ErrorReason } from "../reasons.js";

import type { SourceName } from "../sources.js";

export type { SourceName } from "../sources.js";

export interface SourceKey {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
}

/** Shared by every source snapshot: what its resources' owner labels need besides the resources. */
export interface OwnerDirectory {
  /** Enterprise project names by id (HWCERT_ENTERPRISE_PROJECT_NAMES); absent when not read. */
  readonly enterpriseProjectNames?: ReadonlyMap<string, string>;
}

export interface SourceStatus extends OwnerDirectory {
  /** The last poll's discovery of this source succeeded. */
  readonly up: boolean;
  /** Unix seconds of the last successful discovery; null before the first. */
  readonly lastSuccessSeconds: number | null;
  /** Unix seconds of the last attempt, successful or not; null before the first. */
  readonly lastAttemptSeconds: number | null;
  /** Why the last attempt failed; null when it succeeded. Never contains secrets. */
  readonly lastError: { readonly reason: ErrorReason; readonly message: string } | null;
}

/**
 * Why a resource (or a part of it) could not be read in the poll that last read it: its data is
 * unreadable (a broken PEM, an unreadable time, a CA file with unreadable parts) or the call
 * that reads it failed. Kept with the resource's state, so it lasts exactly as long as the state
 * it explains: gone at the first poll that reads the resource cleanly, kept while the whole
 * source fails.
 */
export interface ResourceProblem {
  readonly reason: ErrorReason;
  /** Secret-free words for people: no URL query, header, key material or certificate bytes. */
  readonly message: string;
}

/** The configured owner tags (HWCERT_OWNER_TAGS) a resource carries: tag key → value. */
export type OwnerTags = Readonly<Record<string, string>>;

export interface ElbCertificateState {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
  /** The API's expire_time in Unix seconds; null when absent or unreadable. */
  readonly expireTimeSeconds: number | null;
  /** Every X.509 certificate of the PEM (leaf and chain); empty when the PEM is broken. */
  readonly certificates: readonly ParsedCertificate[];
  /** The API's `source`: `scm` when Cloud Certificate Manager manages it, `""` when uploaded. */
  readonly origin: string;
  /** The CCM certificate behind it (`scm_certificate_id`); null when none. */
  readonly ccmCertificateId: string | null;
  /** What could not be read (PEM, expire_time, details); one entry per reason, empty when none. */
  readonly problems: readonly ResourceProblem[];
}

/** How a listener uses a certificate: its default (server) one, an SNI one, or its client CA. */
export const LISTENER_ROLES = ["default", "sni", "client_ca"] as const;
export type ListenerRole = (typeof LISTENER_ROLES)[number];

/** One listener's use of one certificate in one role. */
export interface ListenerBinding {
  readonly role: ListenerRole;
  readonly listenerId: string;
  readonly listenerName: string;
  readonly protocol: string;
  /** null when the API did not give the listener's port. */
  readonly port: number | null;
  /** The listener's load balancer ids joined by "," (usually one); "" when none. */
  readonly loadBalancerId: string;
  /** The listener's configured owner tags (ELB certificates have no tags of their own). */
  readonly tags: OwnerTags;
}

export interface ElbSourceSnapshot extends SourceKey, SourceStatus {
  readonly source: "elb";
  /** Keyed by certificate id, in discovery order. */
  readonly certificates: ReadonlyMap<string, ElbCertificateState>;
  /**
   * The listeners' uses of each certificate id, from the last complete listener listing; a
   * certificate no listener uses has no entry. Absent until a listing succeeded: unknown, which
   * is not the same as unused.
   */
  readonly listenerBindings?: ReadonlyMap<string, readonly ListenerBinding[]>;
}

/** The result of probing one download link of a GeminiDB instance. */
export interface CaLinkState {
  readonly category: string;
  /** Link obtained, downloaded with 200 within the limits, and held at least one certificate. */
  readonly up: boolean;
  /** HTTP status of the download, 0 when no answer arrived (or no download was made). */
  readonly statusCode: number;
  readonly bytes: number | null;
  /** Why the link is down; null when up. */
  readonly reason: ErrorReason | null;
  /** Certificates of this link's CA file: the last good ones while the link is failing. */
  readonly certificates: readonly ParsedCertificate[];
  /**
   * What could not be read: why the link is down (its reason), or `bad_content` when a readable
   * CA file has unreadable parts; null when the link and its file are fine.
   */
  readonly problem: ResourceProblem | null;
}

export type CertificateOrigin = "download_link" | "ccm" | "";

export interface GeminiDbInstanceState {
  readonly id: string;
  readonly name: string;
  readonly datastoreType: string;
  /** `"1"`, `"0"`, or `""` when the API does not say. */
  readonly ssl: "0" | "1" | "";
  /** `download_link` (probed), `ccm` (Cloud Certificate Manager, not probed), `""` (SSL off). */
  readonly certOrigin: CertificateOrigin;
  /** One entry per download-link category; empty when not probed. */
  readonly links: readonly CaLinkState[];
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
  /** The configured owner tags; null when none are configured or they were never read. */
  readonly tags: OwnerTags | null;
  /** Unix seconds of the last successful tag read; null when never read. */
  readonly tagsReadAtSeconds: number | null;
  /** The CCM certificate the instance uses (`ccm_cert_info.cert_id`); null when none. */
  readonly ccmCertificateId: string | null;
}

export interface GeminiDbSourceSnapshot extends SourceKey, SourceStatus {
  readonly source: "geminidb";
  readonly instances: ReadonlyMap<string, GeminiDbInstanceState>;
  /**
   * How long each link's download took, by linkKey(instance id, category); absent when no
   * download was made. Kept apart from the instances because it changes with every poll: an
   * instance whose state did not change stays the same object, and so does its metrics text.
   */
  readonly linkDurations: ReadonlyMap<string, number>;
}

/** The key of one download link of one instance in GeminiDbSourceSnapshot.linkDurations. */
export function linkKey(instanceId: string, category: string): string {
  return `${instanceId}\u0000${category}`;
}

/** True when two instance states say the same (certificates compared by identity). */
export function sameInstanceState(a: GeminiDbInstanceState, b: GeminiDbInstanceState): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.datastoreType === b.datastoreType &&
    a.ssl === b.ssl &&
    a.certOrigin === b.certOrigin &&
    a.enterpriseProjectId === b.enterpriseProjectId &&
    a.tagsReadAtSeconds === b.tagsReadAtSeconds &&
    a.ccmCertificateId === b.ccmCertificateId &&
    sameRecord(a.tags, b.tags) &&
    a.links.length === b.links.length &&
    a.links.every((link, i) => sameLink(link, b.links[i] as CaLinkState))
  );
}

function sameLink(a: CaLinkState, b: CaLinkState): boolean {
  return (
    a.category === b.category &&
    a.up === b.up &&
    a.statusCode === b.statusCode &&
    a.bytes === b.bytes &&
    a.reason === b.reason &&
    sameProblem(a.problem, b.problem) &&
    a.certificates.length === b.certificates.length &&
    a.certificates.every((certificate, i) => certificate === b.certificates[i])
  );
}

function sameProblem(a: ResourceProblem | null, b: ResourceProblem | null): boolean {
  return a === b || (a !== null && b !== null && a.reason === b.reason && a.message === b.message);
}

/** True when two lists hold the same problems in the same order. */
export function sameProblems(
  a: readonly ResourceProblem[],
  b: readonly ResourceProblem[],
): boolean {
  return a.length === b.length && a.every((problem, i) => sameProblem(problem, b[i] ?? null));
}

function sameRecord(a: OwnerTags | null, b: OwnerTags | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** What the exporter makes of a CCM certificate's raw status (see ccm-status.ts). */
export const CCM_STATUSES = ["issued", "pending", "expired", "revoked", "other"] as const;
export type CcmStatus = (typeof CCM_STATUSES)[number];

export interface CcmCertificateState {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly sans: string;
  readonly type: string;
  readonly brand: string;
  readonly signatureAlgorithm: string;
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

export type SourceSnapshot = ElbSourceSnapshot | GeminiDbSourceSnapshot | CcmSourceSnapshot;

export interface PollSummary {
  readonly startedAtSeconds: number;
  readonly finishedAtSeconds: number;
}

export interface Snapshot {
  readonly sources: readonly SourceSnapshot[];
  /** Completed polls since start-up; 0 until the first poll finished. */
  readonly completedPolls: number;
  readonly lastPoll: PollSummary | null;
}

/**
 * A failed attempt: the source keeps its last good resources (and its last success time) and
 * shows down with the reason. The error's message is secret-free by construction.
 */
export function markFailed<S extends SourceSnapshot>(
  previous: S,
  attemptedAtSeconds: number,
  error: { readonly reason: ErrorReason; readonly message: string },
): S {
  return {
    ...previous,
    up: false,
    lastAttemptSeconds: attemptedAtSeconds,
    lastError: { reason: error.reason, message: error.message },
  };
}

/**
 * `previous` when `next` holds exactly its entries (the same value objects, in the same order),
 * else `next`. Pollers hand back unchanged resources as the same objects; keeping the map too
 * lets the metrics renderer see an unchanged source by identity and reuse its text.
 */
export function keepIfUnchanged<K, V>(
  previous: ReadonlyMap<K, V>,
  next: ReadonlyMap<K, V>,
): ReadonlyMap<K, V> {
  if (previous.size !== next.size) return next;
  const last = previous.entries();
  for (const [key, value] of next) {
    const entry = last.next().value;
    if (entry === undefined || entry[0] !== key || entry[1] !== value) return next;
  }
  return previous;
}

function initialStatus(): SourceStatus {
  return { up: false, lastSuccessSeconds: null, lastAttemptSeconds: null, lastError: null };
}

export function initialGeminiDbSnapshot(key: Omit<SourceKey, "source">): GeminiDbSourceSnapshot {
  return {
    source: "geminidb",
    region: key.region,
    projectId: key.projectId,
    ...initialStatus(),
    instances: new Map(),
    linkDurations: new Map(),
  };
}

/** How many resources (certificates or instances) a source snapshot holds. */
export function resourceCount(snapshot: SourceSnapshot): number {
  return snapshot.source === "geminidb" ? snapshot.instances.size : snapshot.certificates.size;
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

export function initialElbSnapshot(key: Omit<SourceKey, "source">): ElbSourceSnapshot {
  return {
    source: "elb",
    region: key.region,
    projectId: key.projectId,
    ...initialStatus(),
    certificates: new Map(),
  };
}
