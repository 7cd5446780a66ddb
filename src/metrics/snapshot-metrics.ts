// What the polled state (a Snapshot) exports: every family's samples, written source by source
// with the TextWriter. Pure: no network, no clock. snapshot-renderer.ts assembles the families
// and keeps each source's part between polls. Label sets are unique within each family (a
// repeated one keeps its first position and its last value, as prom-client's Gauge.set would).
// Resources are unique by id within a source, and sources by (source, region, project), so
// duplicates can only arise inside one resource: deduplication happens there, in small maps,
// and a render holds no per-series structure for the whole snapshot.

import type { ParsedCertificate } from "../certs/types.js";
import type { OwnerTag } from "../config/config.js";
import type { ThresholdOverrides } from "../config/expiry-thresholds.js";
import { type OwnerTags, type SourceSnapshot } from "../poll/snapshot.js";
import { CCM_STATUSES } from "../sources/ccm/snapshot.js";
import { LISTENER_ROLES, type ListenerBinding } from "../sources/elb/snapshot.js";
import { linkKey, type CaLinkState } from "../sources/geminidb/snapshot.js";
import { resourceProblems } from "../poll/resource-problems.js";
import { moduleOf } from "../source-names.js";
import { SOURCES } from "../sources/index.js";
import { resourceUsage, type CcmUser } from "../status/severity.js";
import { METRICS } from "./contract.js";
import type { TextWriter } from "./text-writer.js";

export interface FamilySpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

/**
 * Writes one family's samples. Within a resource (between two `endResource` calls) samples are
 * collected and deduplicated by label values; at its end they are written in order.
 */
export class Family {
  readonly #spec: FamilySpec;
  readonly #writer: TextWriter;
  #resource = new Map<string, { labels: readonly string[]; value: number }>();

  constructor(spec: FamilySpec, writer: TextWriter) {
    this.#spec = spec;
    this.#writer = writer;
  }

  set(labels: readonly string[], value: number): void {
    const key = labels.join("\u0000");
    const existing = this.#resource.get(key);
    if (existing) existing.value = value;
    else this.#resource.set(key, { labels, value });
  }

  endResource(): void {
    for (const { labels, value } of this.#resource.values()) {
      this.#writer.sample(this.#spec.name, this.#spec.labelNames, labels, value);
    }
    if (this.#resource.size > 0) this.#resource = new Map();
  }
}

/** What a family may read of the whole snapshot besides the source it writes. */
export interface RenderContext {
  /** CCM certificate ids used by an ELB certificate or GeminiDB instance of any source. */
  readonly ccmUsers: ReadonlyMap<string, readonly CcmUser[]>;
}

export interface FamilyDefinition {
  readonly spec: FamilySpec;
  /**
   * The samples change with every poll (status and timestamps), so they are always written
   * afresh. Any other family's part of a source depends only on the source's key, resources,
   * listener bindings and enterprise project names (and the render options), plus whatever
   * `otherInputs` names.
   */
  readonly volatile?: boolean;
  /**
   * What else a source's part reads of the other sources (compared by identity, like the
   * source's own inputs): the part is written again when any of them changed.
   */
  readonly otherInputs?: (
    source: SourceSnapshot,
    sources: readonly SourceSnapshot[],
  ) => readonly unknown[];
  /** Writes the family's samples of one source. */
  readonly fill: (source: SourceSnapshot, family: Family, context: RenderContext) => void;
}

export interface RenderOptions {
  /** Per-resource expiry thresholds, exported for the resources the snapshot holds. */
  readonly thresholdOverrides?: ThresholdOverrides;
  /** Resource ids the operator marked as only stored (HWCERT_STORED_CERTIFICATES). */
  readonly storedCertificates?: ReadonlySet<string>;
  /** The configured owner tags, each a label of hwcert_resource_owner_info. */
  readonly ownerTags?: readonly OwnerTag[];
}

/**
 * Every polled family in exposition order. Each writes the samples of one source at a time:
 * the renderer (snapshot-renderer.ts) keeps each source's part of each family between polls.
 */
export function familyDefinitions(options: RenderOptions = {}): readonly FamilyDefinition[] {
  const ownerTags = options.ownerTags ?? [];
  const overrides = options.thresholdOverrides;
  const storedCertificates = options.storedCertificates ?? new Set<string>();
  const x509Family = (
    spec: FamilySpec,
    value: (x509: ParsedCertificate) => number,
  ): FamilyDefinition => ({
    spec,
    fill: (source, family) => {
      forEachCertificate(
        source,
        (id, name, x509) => {
          family.set(x509Labels(source, id, name, x509), value(x509));
        },
        () => {
          family.endResource();
        },
      );
    },
  });
  const linkFamily = (
    spec: FamilySpec,
    value: (link: CaLinkState) => number | null,
  ): FamilyDefinition => ({
    spec,
    fill: (source, family) => {
      if (source.source !== "geminidb") return;
      for (const instance of source.instances.values()) {
        for (const link of instance.links) {
          const sample = value(link);
          if (sample === null) continue;
          family.set(
            [source.region, source.projectId, instance.id, instance.name, link.category],
            sample,
          );
        }
        family.endResource();
      }
    },
  });
  const ccmTime = (spec: FamilySpec, field: "notBefore" | "notAfter"): FamilyDefinition => ({
    spec,
    fill: (source, family) => {
      if (source.source !== "ccm") return;
      for (const certificate of source.certificates.values()) {
        const value = certificate[field];
        if (value === null || value <= 0) continue;
        family.set(
          [source.region, source.projectId, certificate.id, certificate.name, certificate.domain],
          value,
        );
        family.endResource();
      }
    },
  });

  return [
    {
      spec: METRICS.elbExpire,
      fill: (source, family) => {
        if (source.source !== "elb") return;
        for (const certificate of source.certificates.values()) {
          if (certificate.expireTimeSeconds === null) continue;
          family.set(
            [source.region, source.projectId, certificate.id, certificate.name, certificate.type],
            certificate.expireTimeSeconds,
          );
          family.endResource();
        }
      },
    },
    {
      spec: METRICS.elbListenerBindings,
      fill: (source, family) => {
        if (source.source !== "elb" || source.listenerBindings === undefined) return;
        for (const certificate of source.certificates.values()) {
          const uses = source.listenerBindings.get(certificate.id) ?? [];
          for (const role of LISTENER_ROLES) {
            family.set(
              [source.region, source.projectId, certificate.id, role],
              uses.filter((use) => use.role === role).length,
            );
          }
          family.endResource();
        }
      },
    },
    {
      spec: METRICS.elbListenerInfo,
      fill: (source, family) => {
        if (source.source !== "elb" || source.listenerBindings === undefined) return;
        for (const certificate of source.certificates.values()) {
          for (const use of source.listenerBindings.get(certificate.id) ?? []) {
            family.set(
              [
                source.region,
                source.projectId,
                certificate.id,
                use.role,
                use.listenerId,
                use.listenerName,
                use.loadBalancerId,
                use.protocol,
                use.port === null ? "" : String(use.port),
              ],
              1,
            );
          }
          family.endResource();
        }
      },
    },
    x509Family(METRICS.notAfter, (x509) => x509.notAfter),
    x509Family(METRICS.notBefore, (x509) => x509.notBefore),
    {
      spec: METRICS.info,
      fill: (source, family) => {
        forEachCertificate(
          source,
          (id, _name, x509) => {
            family.set(
              [
                source.source,
                source.region,
                source.projectId,
                id,
                x509.serialNumber,
                x509.fingerprintSha256,
                x509.subject,
                x509.issuer,
                x509.sans,
                x509.keyAlgorithm,
              ],
              1,
            );
          },
          () => {
            family.endResource();
          },
        );
      },
    },
    {
      spec: METRICS.expiryThreshold,
      fill: (source, family) => {
        if (overrides === undefined || overrides.size === 0) return;
        forEachResourceId(source, (id) => {
          const override = overrides.get(id);
          if (override === undefined) return;
          const labels = [source.source, source.region, source.projectId, id];
          family.set([...labels, "warning"], override.warningSeconds);
          family.set([...labels, "critical"], override.criticalSeconds);
          family.endResource();
        });
      },
    },
    {
      spec: {
        ...METRICS.resourceOwnerInfo,
        labelNames: [...METRICS.resourceOwnerInfo.labelNames, ...ownerTags.map((tag) => tag.label)],
      },
      fill: (source, family) => {
        const owner = (
          id: string,
          enterpriseProjectId: string,
          tagValue: (key: string) => string,
        ): void => {
          family.set(
            [
              source.source,
              source.region,
              source.projectId,
              id,
              enterpriseProjectId,
              source.enterpriseProjectNames?.get(enterpriseProjectId) ?? "",
              ...ownerTags.map((tag) => tagValue(tag.key)),
            ],
            1,
          );
          family.endResource();
        };
        if (source.source === "elb") {
          for (const certificate of source.certificates.values()) {
            const uses = source.listenerBindings?.get(certificate.id) ?? [];
            owner(certificate.id, certificate.enterpriseProjectId, (key) =>
              listenerTagValue(uses, key),
            );
          }
        } else if (source.source === "geminidb") {
          for (const instance of source.instances.values()) {
            owner(instance.id, instance.enterpriseProjectId, (key) => tagValue(instance.tags, key));
          }
        } else {
          // CCM certificate tags are not read (yet): enterprise project only.
          for (const certificate of source.certificates.values()) {
            owner(certificate.id, certificate.enterpriseProjectId, () => "");
          }
        }
      },
    },
    {
      spec: METRICS.resourceInUse,
      // A CCM certificate is in use when an ELB certificate or GeminiDB instance of any source
      // uses it, so its part also reads their resources.
      otherInputs: (source, sources) =>
        source.source === "ccm"
          ? sources.flatMap((other): readonly unknown[] =>
              other.source === "elb"
                ? [other.certificates]
                : other.source === "geminidb"
                  ? [other.instances]
                  : [],
            )
          : [],
      fill: (source, family, context) => {
        const usageContext = { storedCertificates, ccmUsers: context.ccmUsers };
        forEachResourceId(source, (id) => {
          const usage = resourceUsage(moduleOf(SOURCES, source), source, id, usageContext);
          if (usage === "unknown") return;
          family.set(
            [source.source, source.region, source.projectId, id],
            usage === "in_use" ? 1 : 0,
          );
          family.endResource();
        });
      },
    },
    linkFamily(METRICS.geminidbLinkUp, (link) => (link.up ? 1 : 0)),
    linkFamily(METRICS.geminidbDownloadStatus, (link) => link.statusCode),
    {
      spec: METRICS.geminidbDownloadDuration,
      // Durations change with every poll, and are not part of the instances (see linkDurations).
      volatile: true,
      fill: (source, family) => {
        if (source.source !== "geminidb") return;
        for (const instance of source.instances.values()) {
          for (const link of instance.links) {
            const seconds = source.linkDurations.get(linkKey(instance.id, link.category));
            if (seconds === undefined) continue;
            family.set(
              [source.region, source.projectId, instance.id, instance.name, link.category],
              seconds,
            );
          }
          family.endResource();
        }
      },
    },
    linkFamily(METRICS.geminidbDownloadBytes, (link) => link.bytes),
    {
      spec: METRICS.geminidbInstanceInfo,
      fill: (source, family) => {
        if (source.source !== "geminidb") return;
        for (const instance of source.instances.values()) {
          family.set(
            [
              source.region,
              source.projectId,
              instance.id,
              instance.name,
              instance.datastoreType,
              instance.ssl,
              instance.certOrigin,
            ],
            1,
          );
          family.endResource();
        }
      },
    },
    ccmTime(METRICS.ccmExpire, "notAfter"),
    ccmTime(METRICS.ccmNotBefore, "notBefore"),
    {
      spec: METRICS.ccmStatus,
      fill: (source, family) => {
        if (source.source !== "ccm") return;
        for (const certificate of source.certificates.values()) {
          for (const status of CCM_STATUSES) {
            family.set(
              [source.region, source.projectId, certificate.id, status],
              certificate.status === status ? 1 : 0,
            );
          }
          family.endResource();
        }
      },
    },
    {
      spec: METRICS.ccmInfo,
      fill: (source, family) => {
        if (source.source !== "ccm") return;
        for (const certificate of source.certificates.values()) {
          family.set(
            [
              source.region,
              source.projectId,
              certificate.id,
              certificate.name,
              certificate.domain,
              certificate.sans,
              certificate.type,
              certificate.brand,
              certificate.signatureAlgorithm,
              certificate.apiStatus,
            ],
            1,
          );
          family.endResource();
        }
      },
    },
    // From ELB and GeminiDB data alone: the link shows whether or not the ccm source is polled.
    {
      spec: METRICS.ccmUsage,
      fill: (source, family) => {
        if (source.source === "elb") {
          for (const certificate of source.certificates.values()) {
            if (certificate.ccmCertificateId === null) continue;
            family.set(
              [
                source.region,
                source.projectId,
                certificate.ccmCertificateId,
                "elb",
                certificate.id,
                certificate.name,
              ],
              1,
            );
            family.endResource();
          }
        } else if (source.source === "geminidb") {
          for (const instance of source.instances.values()) {
            if (instance.ccmCertificateId === null) continue;
            family.set(
              [
                source.region,
                source.projectId,
                instance.ccmCertificateId,
                "geminidb",
                instance.id,
                instance.name,
              ],
              1,
            );
            family.endResource();
          }
        }
      },
    },
    // Problems live in the resources' states, so this part changes exactly when they do.
    {
      spec: METRICS.resourceProblem,
      fill: (source, family) => {
        let resourceId: string | null = null;
        for (const problem of resourceProblems(moduleOf(SOURCES, source), source)) {
          // A resource's problems are adjacent; two links failing alike are one series.
          if (resourceId !== null && problem.resourceId !== resourceId) family.endResource();
          resourceId = problem.resourceId;
          family.set(
            [
              source.source,
              source.region,
              source.projectId,
              problem.resourceId,
              problem.resourceName,
              problem.reason,
            ],
            1,
          );
        }
        family.endResource();
      },
    },
    {
      spec: METRICS.sourceUp,
      volatile: true,
      fill: (source, family) => {
        family.set([source.source, source.region, source.projectId], source.up ? 1 : 0);
        family.endResource();
      },
    },
    {
      spec: METRICS.sourceLastSuccess,
      volatile: true,
      fill: (source, family) => {
        if (source.lastSuccessSeconds === null) return;
        family.set(
          [source.source, source.region, source.projectId],
          Math.floor(source.lastSuccessSeconds),
        );
        family.endResource();
      },
    },
  ];
}

function tagValue(tags: OwnerTags | null, key: string): string {
  return (tags !== null && Object.hasOwn(tags, key) ? tags[key] : undefined) ?? "";
}

/**
 * An ELB certificate's tag value: from the listeners that use it (a certificate has no tags of
 * its own); their distinct values sorted and joined with "," when they disagree.
 */
function listenerTagValue(uses: readonly ListenerBinding[], key: string): string {
  const values = new Set<string>();
  for (const use of uses) {
    const value = tagValue(use.tags, key);
    if (value !== "") values.add(value);
  }
  return [...values].sort().join(",");
}

/** The id of every resource of a source (ELB certificate, GeminiDB instance, CCM certificate). */
function forEachResourceId(source: SourceSnapshot, visit: (resourceId: string) => void): void {
  const ids = source.source === "geminidb" ? source.instances.keys() : source.certificates.keys();
  for (const id of ids) visit(id);
}

/**
 * Every X.509 certificate of a source with the resource it belongs to. A GeminiDB CA served
 * under two categories is one certificate of the instance.
 */
function forEachCertificate(
  source: SourceSnapshot,
  visit: (resourceId: string, resourceName: string, x509: ParsedCertificate) => void,
  endResource: () => void,
): void {
  // CCM certificates are read through the API only: no X.509 bytes.
  if (source.source === "ccm") return;
  if (source.source === "elb") {
    for (const certificate of source.certificates.values()) {
      for (const x509 of certificate.certificates) visit(certificate.id, certificate.name, x509);
      endResource();
    }
    return;
  }
  for (const instance of source.instances.values()) {
    const seen = new Set<string>();
    for (const link of instance.links) {
      for (const x509 of link.certificates) {
        if (seen.has(x509.fingerprintSha256)) continue;
        seen.add(x509.fingerprintSha256);
        visit(instance.id, instance.name, x509);
      }
    }
    endResource();
  }
}

function x509Labels(
  source: SourceSnapshot,
  resourceId: string,
  resourceName: string,
  x509: ParsedCertificate,
): string[] {
  return [
    source.source,
    source.region,
    source.projectId,
    resourceId,
    resourceName,
    x509.chainPosition,
    x509.subjectCn,
    x509.issuerCn,
    x509.serialNumber,
  ];
}
