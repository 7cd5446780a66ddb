// The public contract of the configuration: every HWCERT_* variable, its default and one line
// of meaning. README and config/example.env are checked against this table by a test, so the
// documentation cannot drift from what the daemon accepts.

export interface SettingSpec {
  readonly name: string;
  /** Default as the operator would write it; `undefined` when the setting has none. */
  readonly defaultValue: string | undefined;
  readonly required: boolean;
  /** Secrets may also come from a file named by `<NAME>_FILE`. */
  readonly secret: boolean;
  readonly description: string;
}

export const SETTINGS = [
  {
    name: "HWCERT_REGION",
    defaultValue: undefined,
    required: true,
    secret: false,
    description:
      "Huawei Cloud region, e.g. ap-southeast-1; used in the default endpoints. Required unless HWCERT_CONFIG_FILE lists targets.",
  },
  {
    name: "HWCERT_PROJECT_ID",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Project ID of the region (32 lower-case hex characters); unset = looked up through IAM by the region's name (GET /v3/projects?name=).",
  },
  {
    name: "HWCERT_AUTH_TOKEN",
    defaultValue: undefined,
    required: false,
    secret: true,
    description: "Auth method 1: a static IAM token sent as X-Auth-Token.",
  },
  {
    name: "HUAWEICLOUD_SDK_AK",
    defaultValue: undefined,
    required: false,
    secret: true,
    description: "Auth method 2: access key ID for SDK-HMAC-SHA256 request signing.",
  },
  {
    name: "HUAWEICLOUD_SDK_SK",
    defaultValue: undefined,
    required: false,
    secret: true,
    description: "Auth method 2: secret access key.",
  },
  {
    name: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    defaultValue: undefined,
    required: false,
    secret: true,
    description:
      "Auth method 2, temporary credentials: security token (sent signed as X-Security-Token).",
  },
  {
    name: "HWCERT_IAM_DOMAIN",
    defaultValue: undefined,
    required: false,
    secret: false,
    description: "Auth method 3: account (domain) name of the IAM user.",
  },
  {
    name: "HWCERT_IAM_USERNAME",
    defaultValue: undefined,
    required: false,
    secret: false,
    description: "Auth method 3: IAM user name.",
  },
  {
    name: "HWCERT_IAM_PASSWORD",
    defaultValue: undefined,
    required: false,
    secret: true,
    description:
      "Auth method 3: IAM user password; project-scoped tokens (domain-scoped for CCM) are obtained, cached and renewed.",
  },
  {
    name: "HWCERT_CONFIG_FILE",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "YAML or JSON file listing targets (regions, projects, sources, endpoints, credentials).",
  },
  {
    name: "HWCERT_ELB_ENDPOINT",
    defaultValue: "https://elb.{region}.myhuaweicloud.com",
    required: false,
    secret: false,
    description: "ELB v3 API endpoint.",
  },
  {
    name: "HWCERT_GEMINIDB_ENDPOINT",
    defaultValue: "https://gaussdb-nosql.{region}.myhuaweicloud.com",
    required: false,
    secret: false,
    description: "GeminiDB (GaussDB NoSQL) v3 API endpoint.",
  },
  {
    name: "HWCERT_CCM_ENDPOINT",
    defaultValue: "https://scm.{region}.myhuaweicloud.com",
    required: false,
    secret: false,
    description:
      "Cloud Certificate Manager (SSL certificates, SDK name SCM) endpoint; a global service.",
  },
  {
    name: "HWCERT_DOMAIN_ID",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Account (domain) id sent as X-Domain-Id with AK/SK requests to CCM; unset = looked up through IAM (GET /v3/auth/domains).",
  },
  {
    name: "HWCERT_IAM_ENDPOINT",
    defaultValue: "https://iam.{region}.myhuaweicloud.com",
    required: false,
    secret: false,
    description: "IAM endpoint (tokens and project discovery).",
  },
  {
    name: "HWCERT_ELB_CERTIFICATE_IDS",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Comma-separated ELB certificate IDs to watch; unset = every certificate of the project.",
  },
  {
    name: "HWCERT_SOURCES",
    defaultValue: "elb,geminidb",
    required: false,
    secret: false,
    description:
      "Comma-separated sources to poll: elb, geminidb, ccm (Cloud Certificate Manager, opt-in).",
  },
  {
    name: "HWCERT_GEMINIDB_INSTANCE_IDS",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Comma-separated GeminiDB instance IDs to watch; unset = every instance of the project.",
  },
  {
    name: "HWCERT_CERTIFICATE_THRESHOLDS",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Per-certificate alert thresholds overriding the lifetime-relative default: comma-separated <resource_id>=<warning>/<critical>, e.g. cert-1=14d/3d (units d, h, m, s).",
  },
  {
    name: "HWCERT_STORED_CERTIFICATES",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Comma-separated resource ids (CCM certificates, ELB certificates) that are only stored: near expiry they raise a notice, never a page. Visible use (a listener, an ELB certificate or GeminiDB instance using a CCM certificate) wins.",
  },
  {
    name: "HWCERT_OWNER_TAGS",
    defaultValue: undefined,
    required: false,
    secret: false,
    description:
      "Comma-separated resource tag keys exported as tag_<key> labels of hwcert_resource_owner_info, e.g. team,env; unset = no tags read.",
  },
  {
    name: "HWCERT_ENTERPRISE_PROJECT_NAMES",
    defaultValue: "false",
    required: false,
    secret: false,
    description:
      "true to resolve enterprise project ids to names (enterprise_project_name of hwcert_resource_owner_info) through the EPS API, at most hourly.",
  },
  {
    name: "HWCERT_EPS_ENDPOINT",
    defaultValue: "https://eps.myhuaweicloud.com",
    required: false,
    secret: false,
    description: "Enterprise Project Management Service endpoint (global).",
  },
  {
    name: "HWCERT_DOWNLOAD_MAX_BYTES",
    defaultValue: "1048576",
    required: false,
    secret: false,
    description: "Largest CA file downloaded; reading stops past it (reason too_large).",
  },
  {
    name: "HWCERT_DOWNLOAD_ALLOWED_HOSTS",
    defaultValue: "*.myhuaweicloud.com",
    required: false,
    secret: false,
    description:
      "Comma-separated host names or *.suffix patterns a download link (and each redirect) may point at.",
  },
  {
    name: "HWCERT_DOWNLOAD_ALLOW_HTTP",
    defaultValue: "false",
    required: false,
    secret: false,
    description: "true to allow plain http:// download links (only for test doubles).",
  },
  {
    name: "HWCERT_POLL_SCHEDULE",
    defaultValue: "*/5 * * * *",
    required: false,
    secret: false,
    description:
      "node-cron expression (5 fields, or 6 with seconds first), evaluated in UTC; the first poll runs at start-up.",
  },
  {
    name: "HWCERT_LISTEN_ADDRESS",
    defaultValue: "0.0.0.0:10057",
    required: false,
    secret: false,
    description: "host:port of the HTTP server (/metrics, /healthz, /readyz, /).",
  },
  {
    name: "HWCERT_HTTP_TIMEOUT_SECONDS",
    defaultValue: "10",
    required: false,
    secret: false,
    description: "Timeout of one HTTP request to Huawei Cloud, per attempt.",
  },
  {
    name: "HWCERT_CONCURRENCY",
    defaultValue: "8",
    required: false,
    secret: false,
    description:
      "Most certificates or instances worked on at once per source (detail calls, download links, downloads).",
  },
  {
    name: "HWCERT_API_RATE_LIMIT",
    defaultValue: "10",
    required: false,
    secret: false,
    description: "Most API requests per second per service and target; 0 = no limit.",
  },
  {
    name: "HWCERT_LOG_LEVEL",
    defaultValue: "info",
    required: false,
    secret: false,
    description: "trace, debug, info, warn, error, fatal or silent.",
  },
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]["name"];

/** Unknown variables with this prefix are rejected (HUAWEICLOUD_SDK_* belong to the SDKs). */
export const SETTING_PREFIX = "HWCERT_";
