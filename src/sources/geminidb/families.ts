// GeminiDB's own metric families: each CA download link's outcome (up, HTTP status, timing,
// size) and each instance's SSL settings. Their names, HELP and labels are part of the metric
// contract; the families every source shares are written by metrics/shared-families.ts.

import { POLLED } from "../../metrics/contract.js";
import {
  defineFamily,
  type Family,
  type FamilySpec,
  type SourceFamilies,
  type SourceFamily,
} from "../../metrics/family.js";
import {
  linkKey,
  type CaLinkState,
  type GeminiDbInstanceState,
  type GeminiDbSourceSnapshot,
} from "./snapshot.js";

const LINK_LABELS = ["region", "project_id", "instance_id", "instance_name", "category"] as const;

export const GEMINIDB_METRICS = {
  geminidbLinkUp: {
    name: "hwcert_geminidb_ca_link_up",
    help: `1 when the GeminiDB CA download link was obtained, downloaded with status 200 within the limits, and held at least one certificate; else 0. ${POLLED}`,
    labelNames: LINK_LABELS,
  },
  geminidbDownloadStatus: {
    name: "hwcert_geminidb_ca_download_status_code",
    help: `HTTP status of the last CA download (0 when no HTTP answer). ${POLLED}`,
    labelNames: LINK_LABELS,
  },
  geminidbDownloadDuration: {
    name: "hwcert_geminidb_ca_download_duration_seconds",
    help: `Wall time of the last CA download, redirects included. ${POLLED}`,
    labelNames: LINK_LABELS,
  },
  geminidbDownloadBytes: {
    name: "hwcert_geminidb_ca_download_bytes",
    help: `Size of the last CA download in bytes (bytes read when it was cut off). ${POLLED}`,
    labelNames: LINK_LABELS,
  },
  geminidbInstanceInfo: {
    name: "hwcert_geminidb_instance_info",
    help: `GeminiDB instances (always 1); cert_origin is download_link, ccm (Cloud Certificate Manager) or empty when SSL is off. ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "instance_id",
      "instance_name",
      "datastore_type",
      "ssl",
      "cert_origin",
    ],
  },
} as const;

type LinkLabels = typeof LINK_LABELS;

/** One sample per link of every instance, from `value`; none where it gives null. */
function linkSamples(
  snapshot: GeminiDbSourceSnapshot,
  family: Family<LinkLabels>,
  value: (instance: GeminiDbInstanceState, link: CaLinkState) => number | null | undefined,
): void {
  for (const instance of snapshot.instances.values()) {
    for (const link of instance.links) {
      const sample = value(instance, link);
      if (sample === null || sample === undefined) continue;
      family.set(
        {
          region: snapshot.region,
          project_id: snapshot.projectId,
          instance_id: instance.id,
          instance_name: instance.name,
          category: link.category,
        },
        sample,
      );
    }
    family.endResource();
  }
}

function linkFamily(
  spec: FamilySpec<LinkLabels>,
  value: (link: CaLinkState) => number | null,
): SourceFamily<GeminiDbSourceSnapshot> {
  return defineFamily(spec, (snapshot: GeminiDbSourceSnapshot, family) => {
    linkSamples(snapshot, family, (_instance, link) => value(link));
  });
}

const instanceInfo = defineFamily(
  GEMINIDB_METRICS.geminidbInstanceInfo,
  (snapshot: GeminiDbSourceSnapshot, family) => {
    for (const instance of snapshot.instances.values()) {
      family.set(
        {
          region: snapshot.region,
          project_id: snapshot.projectId,
          instance_id: instance.id,
          instance_name: instance.name,
          datastore_type: instance.datastoreType,
          ssl: instance.ssl,
          cert_origin: instance.certOrigin,
        },
        1,
      );
      family.endResource();
    }
  },
);

/** After the shared families, as GeminiDB came after ELB (see metrics/polled-families.ts). */
export const geminiDbFamilies: SourceFamilies<GeminiDbSourceSnapshot> = {
  leading: [],
  trailing: [
    linkFamily(GEMINIDB_METRICS.geminidbLinkUp, (link) => (link.up ? 1 : 0)),
    linkFamily(GEMINIDB_METRICS.geminidbDownloadStatus, (link) => link.statusCode),
    // Durations change with every poll, and are not part of the instances (see linkDurations).
    defineFamily(
      GEMINIDB_METRICS.geminidbDownloadDuration,
      (snapshot: GeminiDbSourceSnapshot, family) => {
        linkSamples(snapshot, family, (instance, link) =>
          snapshot.linkDurations.get(linkKey(instance.id, link.category)),
        );
      },
      { volatile: true },
    ),
    linkFamily(GEMINIDB_METRICS.geminidbDownloadBytes, (link) => link.bytes),
    instanceInfo,
  ],
};
