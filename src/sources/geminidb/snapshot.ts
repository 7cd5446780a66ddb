// A GeminiDB source's last-good state: its instances and the results of their CA download links.

import type { ParsedCertificate } from "../../certs/types.js";
import type { ErrorReason } from "../../reasons.js";
import {
  initialStatus,
  type OwnerTags,
  type ResourceProblem,
  type SourceKey,
  type SourceStatus,
} from "../../poll/snapshot.js";

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
   * download was made. A measurement, not a state: it changes with every poll, so it is kept
   * apart from the instances. Inside them it would make every instance a new object each poll
   * (see poll/unchanged.ts), and the metrics renderer would write every instance's text again.
   */
  readonly linkDurations: ReadonlyMap<string, number>;
}

/** The key of one download link of one instance in GeminiDbSourceSnapshot.linkDurations. */
export function linkKey(instanceId: string, category: string): string {
  return `${instanceId}\u0000${category}`;
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
