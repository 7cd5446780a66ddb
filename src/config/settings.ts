// The public contract of the configuration: every variable the daemon reads, described once,
// with its default, one line of meaning and the schema that turns its text into a typed value.
// Parsing, the unknown-setting check and the documentation test all derive from these tables.

import { SOURCE_CATALOGUE, SOURCE_NAMES } from "../source-names.js";
import {
  booleanText,
  cronText,
  endpointText,
  hostPatternsText,
  idListText,
  idText,
  listenAddressText,
  logLevelText,
  numberText,
  plainText,
  projectIdText,
  regionText,
  secretText,
  sourcesText,
  type TextSchema,
} from "./text-schemas.js";
import { ownerTagsText } from "./owner-tags.js";
import { thresholdOverridesText } from "./expiry-thresholds.js";

export interface SettingSpec<Name extends string = string, Value = unknown> {
  readonly name: Name;
  /** Default as the operator would write it; `undefined` when the setting has none. */
  readonly defaultValue: string | undefined;
  /** Must be set for the environment's own target (that is, without HWCERT_CONFIG_FILE). */
  readonly required: boolean;
  /** Secrets may also come from a file named by `<NAME>_FILE`. */
  readonly secret: boolean;
  readonly description: string;
  /** Turns the trimmed, non-empty text (or the default) into the value. */
  readonly schema: TextSchema<Value>;
}

interface Setting<
  Name extends string,
  Value,
  Default extends string | undefined,
> extends SettingSpec<Name, Value> {
  readonly defaultValue: Default;
}

function defineSetting<
  const Name extends string,
  Value,
  const Default extends string | undefined = undefined,
>(spec: {
  readonly name: Name;
  readonly defaultValue?: Default;
  readonly required?: boolean;
  readonly secret?: boolean;
  readonly description: string;
  readonly schema: TextSchema<Value>;
}): Setting<Name, Value, Default> {
  return {
    required: false,
    secret: false,
    ...spec,
    defaultValue: spec.defaultValue as Default,
  };
}

/**
 * The value a setting yields once valid: what its schema makes of the text, or `null` when it
 * is unset and has no default.
 */
export type SettingValue<S> =
  S extends Setting<string, infer Value, infer Default>
    ? Default extends string
      ? Value
      : Value | null
    : never;

/** The values of a group of settings by name; `undefined` where the text was refused. */
export type SettingValues<Group extends readonly SettingSpec[]> = {
  readonly [S in Group[number] as S["name"]]: SettingValue<S> | undefined;
};

/**
 * Settings that describe one target: read for the environment's own target, refused beside
 * HWCERT_CONFIG_FILE (the file describes its targets).
 */
export const TARGET_SETTINGS = [
  defineSetting({
    name: "HWCERT_REGION",
    required: true,
    schema: regionText,
    description:
      "Huawei Cloud region, e.g. ap-southeast-1; used in the default endpoints. Required unless HWCERT_CONFIG_FILE lists targets.",
  }),
  defineSetting({
    name: "HWCERT_PROJECT_ID",
    schema: projectIdText("unset HWCERT_PROJECT_ID"),
    description:
      "Project ID of the region (32 lower-case hex characters); unset = looked up through IAM by the region's name (GET /v3/projects?name=).",
  }),
  defineSetting({
    name: "HWCERT_ELB_CERTIFICATE_IDS",
    schema: idListText("certificate"),
    description:
      "Comma-separated ELB certificate IDs to watch; unset = every certificate of the project.",
  }),
  defineSetting({
    name: "HWCERT_GEMINIDB_INSTANCE_IDS",
    schema: idListText("instance"),
    description:
      "Comma-separated GeminiDB instance IDs to watch; unset = every instance of the project.",
  }),
] as const;

/** The environment's credentials: used by every target that names none of its own. */
export const CREDENTIAL_SETTINGS = [
  defineSetting({
    name: "HWCERT_AUTH_TOKEN",
    secret: true,
    schema: secretText,
    description: "Auth method 1: a static IAM token sent as X-Auth-Token.",
  }),
  defineSetting({
    name: "HUAWEICLOUD_SDK_AK",
    secret: true,
    schema: secretText,
    description: "Auth method 2: access key ID for SDK-HMAC-SHA256 request signing.",
  }),
  defineSetting({
    name: "HUAWEICLOUD_SDK_SK",
    secret: true,
    schema: secretText,
    description: "Auth method 2: secret access key.",
  }),
  defineSetting({
    name: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    secret: true,
    schema: secretText,
    description:
      "Auth method 2, temporary credentials: security token (sent signed as X-Security-Token).",
  }),
  defineSetting({
    name: "HWCERT_IAM_DOMAIN",
    schema: plainText,
    description: "Auth method 3: account (domain) name of the IAM user.",
  }),
  defineSetting({
    name: "HWCERT_IAM_USERNAME",
    schema: plainText,
    description: "Auth method 3: IAM user name.",
  }),
  defineSetting({
    name: "HWCERT_IAM_PASSWORD",
    secret: true,
    schema: secretText,
    description:
      "Auth method 3: IAM user password; project-scoped tokens (domain-scoped for CCM) are obtained, cached and renewed.",
  }),
] as const;

/** Each source's endpoint setting, in SOURCE_NAMES order, as its catalogue entry describes it. */
function sourceEndpointSettings() {
  return SOURCE_NAMES.map((source) => {
    const endpoint = SOURCE_CATALOGUE[source].endpoint;
    return defineSetting({
      name: endpoint.setting,
      defaultValue: endpoint.defaultUrl,
      schema: plainText,
      description: endpoint.description,
    });
  });
}

/**
 * Settings shared by every target, read in this order, so that their messages come out in it.
 * The endpoint templates (each source's, then IAM's) are checked as URLs per target, once the
 * region is known.
 */
export const SHARED_SETTINGS = [
  defineSetting({
    name: "HWCERT_CONFIG_FILE",
    schema: plainText,
    description:
      "YAML or JSON file listing targets (regions, projects, sources, endpoints, credentials).",
  }),
  ...sourceEndpointSettings(),
  defineSetting({
    name: "HWCERT_IAM_ENDPOINT",
    defaultValue: "https://iam.{region}.myhuaweicloud.com",
    schema: plainText,
    description: "IAM endpoint (tokens and project discovery).",
  }),
  defineSetting({
    name: "HWCERT_POLL_SCHEDULE",
    defaultValue: "*/5 * * * *",
    schema: cronText,
    description:
      "node-cron expression (5 fields, or 6 with seconds first), evaluated in UTC; the first poll runs at start-up.",
  }),
  defineSetting({
    name: "HWCERT_LISTEN_ADDRESS",
    defaultValue: "0.0.0.0:10057",
    schema: listenAddressText,
    description: "host:port of the HTTP server (/metrics, /healthz, /readyz, /).",
  }),
  defineSetting({
    name: "HWCERT_HTTP_TIMEOUT_SECONDS",
    defaultValue: "10",
    schema: numberText({ min: 0, minExclusive: true, max: 300, integer: false }),
    description: "Timeout of one HTTP request to Huawei Cloud, per attempt.",
  }),
  defineSetting({
    name: "HWCERT_CONCURRENCY",
    defaultValue: "8",
    schema: numberText({ min: 1, max: 64, integer: true }),
    description:
      "Most certificates or instances worked on at once per source (detail calls, download links, downloads).",
  }),
  defineSetting({
    name: "HWCERT_API_RATE_LIMIT",
    defaultValue: "10",
    schema: numberText({ min: 0, max: 100_000, integer: false }),
    description: "Most API requests per second per service and target; 0 = no limit.",
  }),
  defineSetting({
    name: "HWCERT_LOG_LEVEL",
    defaultValue: "info",
    schema: logLevelText,
    description: "trace, debug, info, warn, error, fatal or silent.",
  }),
  defineSetting({
    name: "HWCERT_DOWNLOAD_MAX_BYTES",
    defaultValue: "1048576",
    schema: numberText({ min: 1024, max: 64 * 1024 * 1024, integer: true }),
    description: "Largest CA file downloaded; reading stops past it (reason too_large).",
  }),
  defineSetting({
    name: "HWCERT_DOWNLOAD_ALLOWED_HOSTS",
    defaultValue: "*.myhuaweicloud.com",
    schema: hostPatternsText,
    description:
      "Comma-separated host names or *.suffix patterns a download link (and each redirect) may point at.",
  }),
  defineSetting({
    name: "HWCERT_DOWNLOAD_ALLOW_HTTP",
    defaultValue: "false",
    schema: booleanText,
    description: "true to allow plain http:// download links (only for test doubles).",
  }),
  defineSetting({
    name: "HWCERT_SOURCES",
    defaultValue: "elb,geminidb",
    schema: sourcesText,
    description:
      "Comma-separated sources to poll: elb, geminidb, ccm (Cloud Certificate Manager, opt-in).",
  }),
  defineSetting({
    name: "HWCERT_CERTIFICATE_THRESHOLDS",
    schema: thresholdOverridesText,
    description:
      "Per-certificate alert thresholds overriding the lifetime-relative default: comma-separated <resource_id>=<warning>/<critical>, e.g. cert-1=14d/3d (units d, h, m, s).",
  }),
  defineSetting({
    name: "HWCERT_STORED_CERTIFICATES",
    schema: idListText("resource"),
    description:
      "Comma-separated resource ids (CCM certificates, ELB certificates) that are only stored: near expiry they raise a notice, never a page. Visible use (a listener, an ELB certificate or GeminiDB instance using a CCM certificate) wins.",
  }),
  defineSetting({
    name: "HWCERT_OWNER_TAGS",
    schema: ownerTagsText,
    description:
      "Comma-separated resource tag keys exported as tag_<key> labels of hwcert_resource_owner_info, e.g. team,env; unset = no tags read.",
  }),
  defineSetting({
    name: "HWCERT_ENTERPRISE_PROJECT_NAMES",
    defaultValue: "false",
    schema: booleanText,
    description:
      "true to resolve enterprise project ids to names (enterprise_project_name of hwcert_resource_owner_info) through the EPS API, at most hourly.",
  }),
  defineSetting({
    name: "HWCERT_EPS_ENDPOINT",
    defaultValue: "https://eps.myhuaweicloud.com",
    schema: endpointText("{region}"),
    description: "Enterprise Project Management Service endpoint (global).",
  }),
  defineSetting({
    name: "HWCERT_DOMAIN_ID",
    schema: idText("domain"),
    description:
      "Account (domain) id sent as X-Domain-Id with AK/SK requests to CCM; unset = looked up through IAM (GET /v3/auth/domains).",
  }),
] as const;

export const SETTINGS = [...TARGET_SETTINGS, ...CREDENTIAL_SETTINGS, ...SHARED_SETTINGS] as const;

export type SettingName = (typeof SETTINGS)[number]["name"];

/** Unknown variables with this prefix are rejected (HUAWEICLOUD_SDK_* belong to the SDKs). */
export const SETTING_PREFIX = "HWCERT_";
