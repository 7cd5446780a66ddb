// The metric contract of the families every source shares and of the live ones: name, HELP text
// and label names. Each source's own families are specified in its folder (families.ts); the
// full list is assembled by catalog.ts. These are the product's public interface (README
// documents them, alert rules depend on them); change them only deliberately.

import type { FamilySpec } from "./family.js";

/** Ends the HELP text of every polled family, shared or a source's own. */
export const POLLED = "Refreshed by polling (HWCERT_POLL_SCHEDULE); cached between polls.";

const X509_LABELS = [
  "source",
  "region",
  "project_id",
  "resource_id",
  "resource_name",
  "chain_position",
  "subject_cn",
  "issuer_cn",
  "serial_number",
] as const;

/** The polled families every source writes from its resources (see shared-families.ts). */
export const SHARED_METRICS = {
  notAfter: {
    name: "hwcert_certificate_not_after_timestamp_seconds",
    help: `X.509 notAfter (Unix seconds) of each certificate found, leaf and chain. ${POLLED}`,
    labelNames: X509_LABELS,
  },
  notBefore: {
    name: "hwcert_certificate_not_before_timestamp_seconds",
    help: `X.509 notBefore (Unix seconds) of each certificate found, leaf and chain. ${POLLED}`,
    labelNames: X509_LABELS,
  },
  info: {
    name: "hwcert_certificate_info",
    help: `Details of each certificate found (always 1). ${POLLED}`,
    labelNames: [
      "source",
      "region",
      "project_id",
      "resource_id",
      "serial_number",
      "fingerprint_sha256",
      "subject",
      "issuer",
      "sans",
      "key_algorithm",
    ],
  },
  expiryThreshold: {
    name: "hwcert_certificate_expiry_threshold_seconds",
    help: `Operator-set time left (seconds) below which the resource's certificates are warning or critical, replacing the lifetime-relative default (HWCERT_CERTIFICATE_THRESHOLDS); present only for resources with an override. ${POLLED}`,
    labelNames: ["source", "region", "project_id", "resource_id", "severity"],
  },
  resourceOwnerInfo: {
    name: "hwcert_resource_owner_info",
    help: `Who owns each resource (always 1): its enterprise project and the configured tags (HWCERT_OWNER_TAGS) as tag_<key> labels; join it to alerts for routing. ${POLLED}`,
    /** Followed by one `tag_<key>` label per configured tag. */
    labelNames: [
      "source",
      "region",
      "project_id",
      "resource_id",
      "enterprise_project_id",
      "enterprise_project_name",
    ],
  },
  resourceInUse: {
    name: "hwcert_resource_in_use",
    help: `1 when the resource's certificates are in use (an ELB certificate on a listener, a GeminiDB instance, a CCM certificate used by an ELB certificate or GeminiDB instance or not listed in HWCERT_STORED_CERTIFICATES), 0 when only stored; absent while unknown (ELB listeners not listed yet). ${POLLED}`,
    labelNames: ["source", "region", "project_id", "resource_id"],
  },
  ccmUsage: {
    name: "hwcert_ccm_certificate_usage_info",
    help: `An ELB certificate or GeminiDB instance that uses a Cloud Certificate Manager certificate (always 1); renewing it in CCM fixes them. ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "certificate_id",
      "source",
      "resource_id",
      "resource_name",
    ],
  },
  resourceProblem: {
    name: "hwcert_resource_problem",
    help: `1 while a resource (ELB certificate, GeminiDB instance, CCM certificate) cannot be read, wholly or in part, for the reason; absent from the first poll that reads it cleanly. ${POLLED}`,
    labelNames: ["source", "region", "project_id", "resource_id", "resource_name", "reason"],
  },
  sourceUp: {
    name: "hwcert_source_up",
    help: `1 when the last poll's discovery of the source succeeded, else 0. ${POLLED}`,
    labelNames: ["source", "region", "project_id"],
  },
  sourceLastSuccess: {
    name: "hwcert_source_last_success_timestamp_seconds",
    help: `Time (Unix seconds) of the last successful discovery of the source. ${POLLED}`,
    labelNames: ["source", "region", "project_id"],
  },
} as const;

/** Families that change outside polls or during them, in their own prom-client registry. */
export const LIVE_METRICS = {
  errors: {
    name: "hwcert_errors_total",
    help: "Failures by source and reason (API errors after retries, unreadable data).",
    labelNames: ["source", "reason"],
  },
  apiRequests: {
    name: "hwcert_api_requests_total",
    help: 'HTTP requests to Huawei Cloud APIs, retries included; code "0" when no answer arrived.',
    labelNames: ["service", "operation", "code"],
  },
  processErrors: {
    name: "hwcert_process_errors_total",
    help: "Programming errors caught by the process guards (the exporter kept running).",
    labelNames: ["kind"],
  },
  pollDuration: {
    name: "hwcert_poll_duration_seconds",
    help: "Wall time of complete polls.",
    labelNames: [],
  },
  buildInfo: {
    name: "hwcert_build_info",
    help: "Version of the exporter and of Node.js (always 1).",
    labelNames: ["version", "nodejs_version"],
  },
} as const;

export const POLL_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * prom-client default metrics left out: gauges named like counters, which the official lint
 * (`promtool check metrics`) rejects.
 */
export const EXCLUDED_DEFAULT_METRICS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
] as const;

type NamesOf<T> = { [K in keyof T]: T[K] extends FamilySpec ? T[K]["name"] : never }[keyof T];

/**
 * Compile-time: no live family shares a name with a shared polled one (the exposition writes the
 * live registry and the polled text one after the other, so a shared name would be two families).
 * Each source's own families are checked against these by test/unit/metrics/catalog.test.ts.
 */
export const LIVE_AND_SHARED_DISJOINT: [
  Extract<NamesOf<typeof LIVE_METRICS>, NamesOf<typeof SHARED_METRICS>>,
] extends [never]
  ? true
  : never = true;
