// The polled families every source writes alike, from its resources (MetricsSource.resources)
// and status: X.509 dates and details, thresholds, owners, use, CCM usage, problems, up and last
// success. Pure: no network, no clock, and no knowledge of any particular source.

import type { ParsedCertificate } from "../certs/types.js";
import type { OwnerTag } from "../config/config.js";
import type { ThresholdOverrides } from "../config/expiry-thresholds.js";
import type { SourceSnapshotBase } from "../poll/snapshot.js";
import type { UsageContext } from "../status/severity.js";
import { SHARED_METRICS } from "./contract.js";
import { writeFamily, type Family, type FamilySpec, type LabelRecord } from "./family.js";
import type { MetricsResource, MetricsSource } from "./metrics-source.js";
import type { TextWriter } from "./text-writer.js";

export interface RenderOptions {
  /** Per-resource expiry thresholds, exported for the resources the snapshot holds. */
  readonly thresholdOverrides?: ThresholdOverrides;
  /** Resource ids the operator marked as only stored (HWCERT_STORED_CERTIFICATES). */
  readonly storedCertificates?: ReadonlySet<string>;
  /** The configured owner tags, each a label of hwcert_resource_owner_info. */
  readonly ownerTags?: readonly OwnerTag[];
}

/** One source snapshot of a render, with its module. */
export interface RenderSource {
  readonly snapshot: SourceSnapshotBase;
  readonly module: MetricsSource;
  /** The labels every shared family starts with, made once per render. */
  readonly labels: {
    readonly source: string;
    readonly region: string;
    readonly project_id: string;
  };
  /** Its resources, listed at most once per render and only when a part is written. */
  resources(): readonly MetricsResource[];
}

/** A polled family: writes the samples of one source at a time (its part of the family). */
export interface PolledFamily {
  readonly spec: FamilySpec;
  /** Written afresh with every poll; see SourceFamily.volatile. */
  readonly volatile: boolean;
  write(source: RenderSource, writer: TextWriter, context: UsageContext): void;
}

function sharedFamily<const L extends readonly string[]>(
  spec: FamilySpec<L>,
  fill: (source: RenderSource, family: Family<L>, context: UsageContext) => void,
  options: { readonly volatile?: boolean } = {},
): PolledFamily {
  return {
    spec,
    volatile: options.volatile ?? false,
    write: (source, writer, context) => {
      writeFamily(spec, writer, (family) => {
        fill(source, family, context);
      });
    },
  };
}

type X509Labels = LabelRecord<typeof SHARED_METRICS.notAfter.labelNames>;

function x509Labels(
  source: RenderSource,
  resource: MetricsResource,
  x509: ParsedCertificate,
): X509Labels {
  return {
    ...source.labels,
    resource_id: resource.id,
    resource_name: resource.name,
    chain_position: x509.chainPosition,
    subject_cn: x509.subjectCn,
    issuer_cn: x509.issuerCn,
    serial_number: x509.serialNumber,
  };
}

/** Every X.509 certificate of a source, resource by resource. */
function x509Family<const L extends readonly string[]>(
  spec: FamilySpec<L>,
  sample: (
    source: RenderSource,
    resource: MetricsResource,
    x509: ParsedCertificate,
  ) => LabelRecord<L>,
  value: (x509: ParsedCertificate) => number,
): PolledFamily {
  return sharedFamily(spec, (source, family) => {
    for (const resource of source.resources()) {
      for (const x509 of resource.certificates)
        family.set(sample(source, resource, x509), value(x509));
      family.endResource();
    }
  });
}

/** A configured owner tag as its label: config/ makes every label `tag_<key>`. */
interface TagLabel {
  readonly key: string;
  readonly label: `tag_${string}`;
}

function ownerInfoFamily(ownerTags: readonly OwnerTag[]): PolledFamily {
  const tags = ownerTags.map((tag): TagLabel => ({
    key: tag.key,
    label: tag.label as `tag_${string}`,
  }));
  const base = SHARED_METRICS.resourceOwnerInfo;
  const spec = { ...base, labelNames: [...base.labelNames, ...tags.map((tag) => tag.label)] };
  return sharedFamily(spec, (source, family) => {
    const names = source.snapshot.enterpriseProjectNames;
    for (const resource of source.resources()) {
      const tagLabels: Record<`tag_${string}`, string> = {};
      for (const tag of tags) tagLabels[tag.label] = resource.ownerTag(tag.key);
      family.set(
        {
          ...source.labels,
          resource_id: resource.id,
          enterprise_project_id: resource.enterpriseProjectId,
          enterprise_project_name: names?.get(resource.enterpriseProjectId) ?? "",
          ...tagLabels,
        },
        1,
      );
      family.endResource();
    }
  });
}

function thresholdFamily(overrides: ThresholdOverrides | undefined): PolledFamily {
  return sharedFamily(SHARED_METRICS.expiryThreshold, (source, family) => {
    if (overrides === undefined || overrides.size === 0) return;
    for (const resource of source.resources()) {
      const override = overrides.get(resource.id);
      if (override === undefined) continue;
      const labels = { ...source.labels, resource_id: resource.id };
      family.set({ ...labels, severity: "warning" }, override.warningSeconds);
      family.set({ ...labels, severity: "critical" }, override.criticalSeconds);
      family.endResource();
    }
  });
}

/** Whether each resource is in use, by its source's usage rule; nothing while unknown. */
const inUseFamily = sharedFamily(SHARED_METRICS.resourceInUse, (source, family, context) => {
  for (const resource of source.resources()) {
    const usage = source.module.usage(source.snapshot, resource.id, context);
    if (usage === "unknown") continue;
    family.set({ ...source.labels, resource_id: resource.id }, usage === "in_use" ? 1 : 0);
    family.endResource();
  }
});

/**
 * The shared families that describe resources: X.509 dates and details, thresholds, owners and
 * use, in exposition order.
 */
export function resourceFamilies(options: RenderOptions): readonly PolledFamily[] {
  return [
    x509Family(SHARED_METRICS.notAfter, x509Labels, (x509) => x509.notAfter),
    x509Family(SHARED_METRICS.notBefore, x509Labels, (x509) => x509.notBefore),
    x509Family(
      SHARED_METRICS.info,
      (source, resource, x509) => ({
        ...source.labels,
        resource_id: resource.id,
        serial_number: x509.serialNumber,
        fingerprint_sha256: x509.fingerprintSha256,
        subject: x509.subject,
        issuer: x509.issuer,
        sans: x509.sans,
        key_algorithm: x509.keyAlgorithm,
      }),
      () => 1,
    ),
    thresholdFamily(options.thresholdOverrides),
    ownerInfoFamily(options.ownerTags ?? []),
    inUseFamily,
  ];
}

/**
 * The shared families that relate resources and report how sources were read: CCM usage,
 * resource problems, up and last success, in exposition order.
 */
export function statusFamilies(): readonly PolledFamily[] {
  return [
    // From the users' data alone: the link shows whether or not the ccm source is polled.
    sharedFamily(SHARED_METRICS.ccmUsage, (source, family) => {
      for (const resource of source.resources()) {
        if (resource.ccmCertificateId === null) continue;
        family.set(
          {
            region: source.snapshot.region,
            project_id: source.snapshot.projectId,
            certificate_id: resource.ccmCertificateId,
            source: source.snapshot.source,
            resource_id: resource.id,
            resource_name: resource.name,
          },
          1,
        );
        family.endResource();
      }
    }),
    // Problems live in the resources' states, so this part changes exactly when they do. Two
    // parts of a resource failing alike (two links of an instance) are one series.
    sharedFamily(SHARED_METRICS.resourceProblem, (source, family) => {
      for (const resource of source.resources()) {
        for (const problem of resource.problems) {
          family.set(
            {
              ...source.labels,
              resource_id: resource.id,
              resource_name: resource.name,
              reason: problem.reason,
            },
            1,
          );
        }
        family.endResource();
      }
    }),
    sharedFamily(
      SHARED_METRICS.sourceUp,
      (source, family) => family.set(source.labels, source.snapshot.up ? 1 : 0),
      { volatile: true },
    ),
    sharedFamily(
      SHARED_METRICS.sourceLastSuccess,
      (source, family) => {
        const seconds = source.snapshot.lastSuccessSeconds;
        if (seconds !== null) family.set(source.labels, Math.floor(seconds));
      },
      { volatile: true },
    ),
  ];
}
