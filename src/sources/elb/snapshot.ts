// An ELB source's last-good state: its certificates and the listeners that use them.

import type { ParsedCertificate } from "../../certs/types.js";
import {
  initialStatus,
  type OwnerTags,
  type ResourceProblem,
  type SourceKey,
  type SourceStatus,
} from "../../poll/snapshot.js";

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

export function initialElbSnapshot(key: Omit<SourceKey, "source">): ElbSourceSnapshot {
  return {
    source: "elb",
    region: key.region,
    projectId: key.projectId,
    ...initialStatus(),
    certificates: new Map(),
  };
}
