// The metric contract: every family's name, HELP text and label names in one place. These are
// the product's public interface (README documents them, alert rules depend on them); change
// them only deliberately.

const POLLED = "Refreshed by polling (HWCERT_POLL_SCHEDULE); cached between polls.";

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

const CCM_LABELS = [
  "region",
  "project_id",
  "certificate_id",
  "certificate_name",
  "domain",
] as const;

const LINK_LABELS = ["region", "project_id", "instance_id", "instance_name", "category"] as const;

export const METRICS = {
  elbExpire: {
    name: "hwcert_elb_certificate_expire_timestamp_seconds",
    help: `Expiry time (Unix seconds) of an ELB certificate as reported by the ELB API (expire_time). ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "certificate_name", "certificate_type"],
  },
  elbListenerBindings: {
    name: "hwcert_elb_certificate_listener_bindings",
    help: `Number of ELB listeners using the certificate in the role (default, sni, client_ca); 0 when none, absent while listener data is unknown. ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "role"],
  },
  elbListenerInfo: {
    name: "hwcert_elb_certificate_listener_info",
    help: `Each ELB listener's use of a certificate (always 1). ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "certificate_id",
      "role",
      "listener_id",
      "listener_name",
      "loadbalancer_id",
      "protocol",
      "port",
    ],
  },
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
  ccmExpire: {
    name: "hwcert_ccm_certificate_expire_timestamp_seconds",
    help: `notAfter (Unix seconds) of a Cloud Certificate Manager SSL certificate, from its details; absent while unknown. ${POLLED}`,
    labelNames: CCM_LABELS,
  },
  ccmNotBefore: {
    name: "hwcert_ccm_certificate_not_before_timestamp_seconds",
    help: `notBefore (Unix seconds) of a Cloud Certificate Manager SSL certificate; absent while unknown. ${POLLED}`,
    labelNames: CCM_LABELS,
  },
  ccmStatus: {
    name: "hwcert_ccm_certificate_status",
    help: `Status of a Cloud Certificate Manager certificate: 1 for the current one of issued, pending, expired, revoked, other; 0 for the rest. ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "status"],
  },
  ccmInfo: {
    name: "hwcert_ccm_certificate_info",
    help: `Details of each Cloud Certificate Manager certificate (always 1); api_status is the API's own status. ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "certificate_id",
      "certificate_name",
      "domain",
      "sans",
      "type",
      "brand",
      "signature_algorithm",
      "api_status",
    ],
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
