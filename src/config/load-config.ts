// Turns environment variables (and the targets file they may name) into a Config, or into the
// complete list of what is wrong: one message per problem, each naming the variable, or the
// file and the path inside it. Pure: the caller supplies the environment and the file readers,
// so tests need neither process.env nor a disk.

import { validateDetailed } from "node-cron";
import { SOURCE_NAMES, type SourceName } from "../source-names.js";
import {
  LOG_LEVELS,
  type AuthConfig,
  type Config,
  type ListenAddress,
  type LogLevel,
  type OwnerTag,
  type TargetConfig,
} from "./config.js";
import {
  readSecretFromFile,
  resolveAuth,
  type CredentialFields,
  type CredentialNames,
} from "./credentials.js";
import { readThresholdOverrides, type ThresholdOverride } from "./expiry-thresholds.js";
import { nearest } from "./nearest.js";
import { Problems } from "./problems.js";
import { KNOWN_REGIONS } from "./regions.js";
import { Secret } from "./secret.js";
import { SETTING_PREFIX, SETTINGS, type SettingName } from "./settings.js";
import { readTargetsFile, type FileTarget } from "./targets-file.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A Config, or every problem. Warnings name settings that are accepted but look wrong (a region
 * that is not a known public one); the caller shows them without refusing to start.
 */
export type ConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly string[] }
  | {
      readonly ok: false;
      readonly errors: readonly string[];
      readonly warnings: readonly string[];
    };

export interface LoadConfigOptions {
  /** Reads a `<NAME>_FILE` secret; throws on failure (the message is reported, not the content). */
  readonly readSecretFile: (path: string) => string;
  /** Reads HWCERT_CONFIG_FILE; defaults to readSecretFile. */
  readonly readConfigFile?: (path: string) => string;
}

export const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** Certificate, instance and domain ids go into URL paths: allow only what is path-safe. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Huawei Cloud project ids are 32 lower-case hexadecimal characters. */
export const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/;
const MAX_TIMEOUT_SECONDS = 300;

/** Result of reading one setting: a value, nothing (unset) or an error already reported. */
type Read<T> = { readonly value: T } | undefined;

const ENV_CREDENTIAL_NAMES: CredentialNames = {
  token: "HWCERT_AUTH_TOKEN",
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  domain: "HWCERT_IAM_DOMAIN",
  username: "HWCERT_IAM_USERNAME",
  password: "HWCERT_IAM_PASSWORD",
};

/** Settings that describe one target: with a targets file they belong in the file. */
const PER_TARGET_ONLY: readonly SettingName[] = [
  "HWCERT_REGION",
  "HWCERT_PROJECT_ID",
  "HWCERT_ELB_CERTIFICATE_IDS",
  "HWCERT_GEMINIDB_INSTANCE_IDS",
];

export function loadConfig(env: Environment, options: LoadConfigOptions): ConfigResult {
  const problems = new Problems();
  const known = new Set<string>();
  for (const setting of SETTINGS) {
    known.add(setting.name);
    if (setting.secret) known.add(`${setting.name}_FILE`);
  }
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(SETTING_PREFIX) && !known.has(name)) {
      const suggestion = nearest(name, known);
      problems.add(
        name,
        suggestion === undefined
          ? "unknown setting (check the spelling; see config/example.env)"
          : `unknown setting; did you mean ${suggestion}? (see config/example.env)`,
      );
    }
  }

  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const text = (name: SettingName): string | undefined =>
    raw(name) ?? SETTINGS.find((s) => s.name === name)?.defaultValue;

  const secret = (name: SettingName): Secret | undefined => {
    const direct = raw(name);
    const filePath = raw(`${name}_FILE`);
    if (direct !== undefined && filePath !== undefined) {
      return problems.add(name, `set both ${name} and ${name}_FILE; set only one`);
    }
    if (filePath !== undefined) {
      return readSecretFromFile(problems, `${name}_FILE`, filePath, options.readSecretFile);
    }
    return direct === undefined ? undefined : new Secret(direct);
  };

  // Settings shared by every target.
  const pollSchedule = readCron(problems, "HWCERT_POLL_SCHEDULE", text("HWCERT_POLL_SCHEDULE"));
  const listen = readListenAddress(
    problems,
    "HWCERT_LISTEN_ADDRESS",
    text("HWCERT_LISTEN_ADDRESS"),
  );
  const timeoutSeconds = readNumber(
    problems,
    "HWCERT_HTTP_TIMEOUT_SECONDS",
    text("HWCERT_HTTP_TIMEOUT_SECONDS"),
    { min: 0, minExclusive: true, max: MAX_TIMEOUT_SECONDS, integer: false },
  );
  const concurrency = readNumber(problems, "HWCERT_CONCURRENCY", text("HWCERT_CONCURRENCY"), {
    min: 1,
    max: 64,
    integer: true,
  });
  const apiRateLimit = readNumber(
    problems,
    "HWCERT_API_RATE_LIMIT",
    text("HWCERT_API_RATE_LIMIT"),
    { min: 0, max: 100_000, integer: false },
  );
  const logLevel = readLogLevel(problems, "HWCERT_LOG_LEVEL", text("HWCERT_LOG_LEVEL"));
  const maxBytes = readNumber(
    problems,
    "HWCERT_DOWNLOAD_MAX_BYTES",
    text("HWCERT_DOWNLOAD_MAX_BYTES"),
    { min: 1024, max: 64 * 1024 * 1024, integer: true },
  );
  const allowedHosts = readHostPatterns(
    problems,
    "HWCERT_DOWNLOAD_ALLOWED_HOSTS",
    text("HWCERT_DOWNLOAD_ALLOWED_HOSTS"),
  );
  const allowHttp = readBoolean(
    problems,
    "HWCERT_DOWNLOAD_ALLOW_HTTP",
    text("HWCERT_DOWNLOAD_ALLOW_HTTP"),
  );
  const defaultSources = readSources(problems, "HWCERT_SOURCES", text("HWCERT_SOURCES"));
  const envThresholds = readThresholdOverrides(
    problems,
    "HWCERT_CERTIFICATE_THRESHOLDS",
    raw("HWCERT_CERTIFICATE_THRESHOLDS"),
    ID_PATTERN,
  );
  let thresholdOverrides = envThresholds;
  const storedCertificates = readIdList(
    problems,
    "HWCERT_STORED_CERTIFICATES",
    raw("HWCERT_STORED_CERTIFICATES"),
    "resource",
  );
  const ownerTags = readOwnerTags(problems, "HWCERT_OWNER_TAGS", raw("HWCERT_OWNER_TAGS"));
  const resolveNames = readBoolean(
    problems,
    "HWCERT_ENTERPRISE_PROJECT_NAMES",
    text("HWCERT_ENTERPRISE_PROJECT_NAMES"),
  );
  const epsEndpoint = readEndpoint(
    problems,
    "HWCERT_EPS_ENDPOINT",
    text("HWCERT_EPS_ENDPOINT") ?? "",
    "{region}",
  );
  const endpointTemplates = {
    elb: text("HWCERT_ELB_ENDPOINT") ?? "",
    geminidb: text("HWCERT_GEMINIDB_ENDPOINT") ?? "",
    ccm: text("HWCERT_CCM_ENDPOINT") ?? "",
    iam: text("HWCERT_IAM_ENDPOINT") ?? "",
  };
  const defaultDomainId = readOptionalId(
    problems,
    "HWCERT_DOMAIN_ID",
    raw("HWCERT_DOMAIN_ID"),
    "domain",
  );

  // Credentials from the environment: shared by every target that names none of its own.
  const problemsBeforeCredentials = problems.list.length;
  const envFields: CredentialFields = {
    token: secret("HWCERT_AUTH_TOKEN"),
    accessKey: secret("HUAWEICLOUD_SDK_AK"),
    secretKey: secret("HUAWEICLOUD_SDK_SK"),
    securityToken: secret("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    domain: raw("HWCERT_IAM_DOMAIN"),
    username: raw("HWCERT_IAM_USERNAME"),
    password: secret("HWCERT_IAM_PASSWORD"),
  };
  // A credential that could not be read is reported already; deciding the method without it
  // would only add a misleading "none configured".
  const envAuth =
    problems.list.length > problemsBeforeCredentials
      ? undefined
      : resolveAuth(problems, envFields, ENV_CREDENTIAL_NAMES, "credentials");

  let targets: TargetConfig[] | undefined;
  const configFile = raw("HWCERT_CONFIG_FILE");
  if (configFile !== undefined) {
    for (const name of PER_TARGET_ONLY) {
      if (raw(name) !== undefined) {
        problems.add(
          name,
          "is set per target in HWCERT_CONFIG_FILE; remove it from the environment",
        );
      }
    }
    const targetsFile = readTargetsFile(
      problems,
      configFile,
      options.readConfigFile ?? options.readSecretFile,
      options.readSecretFile,
      env,
    );
    if (targetsFile !== undefined && envThresholds !== undefined) {
      thresholdOverrides = mergeThresholds(
        problems,
        `HWCERT_CONFIG_FILE: ${configFile}: thresholds`,
        envThresholds,
        targetsFile.thresholds,
      );
    }
    if (targetsFile !== undefined && defaultSources !== undefined) {
      targets = buildFileTargets(problems, configFile, targetsFile.targets, {
        envAuth,
        defaultSources,
        endpointTemplates,
        defaultDomainId,
      });
    }
  } else {
    targets = buildEnvironmentTarget(problems, {
      region: raw("HWCERT_REGION"),
      projectId: raw("HWCERT_PROJECT_ID"),
      certificateIds: raw("HWCERT_ELB_CERTIFICATE_IDS"),
      instanceIds: raw("HWCERT_GEMINIDB_INSTANCE_IDS"),
      envAuth,
      defaultSources,
      endpointTemplates,
      defaultDomainId,
    });
  }

  if (
    problems.list.length > 0 ||
    targets === undefined ||
    pollSchedule === undefined ||
    listen === undefined ||
    timeoutSeconds === undefined ||
    concurrency === undefined ||
    apiRateLimit === undefined ||
    logLevel === undefined ||
    maxBytes === undefined ||
    allowedHosts === undefined ||
    allowHttp === undefined ||
    thresholdOverrides === undefined ||
    storedCertificates === undefined ||
    ownerTags === undefined ||
    resolveNames === undefined ||
    epsEndpoint === undefined
  ) {
    return { ok: false, errors: problems.list, warnings: problems.warnings };
  }

  const config: Config = {
    targets,
    download: { maxBytes, allowedHosts, allowHttp },
    pollSchedule,
    listen,
    httpTimeoutMs: Math.round(timeoutSeconds * 1000),
    concurrency,
    apiRateLimit,
    logLevel,
    thresholdOverrides,
    storedCertificates: new Set(storedCertificates.value ?? []),
    ownerTags,
    enterpriseProjectNames: resolveNames ? { endpoint: epsEndpoint } : null,
  };
  return { ok: true, config: deepFreeze(config), warnings: problems.warnings };
}

/** Huawei Cloud allows at most 20 tags per resource; more labels than that cannot be meant. */
const MAX_OWNER_TAGS = 20;

/**
 * HWCERT_OWNER_TAGS: tag keys as written in the cloud (case-sensitive, up to 128 characters), each
 * exported as a `tag_<key>` label. Two keys that would make the same label name are an error.
 */
function readOwnerTags(
  problems: Problems,
  name: string,
  value: string | undefined,
): OwnerTag[] | undefined {
  if (value === undefined) return [];
  const keys = value
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
  if (keys.length === 0) return problems.add(name, "is set but lists no tag key");
  if (keys.length > MAX_OWNER_TAGS) {
    return problems.add(name, `lists ${keys.length} tag keys; at most ${MAX_OWNER_TAGS}`);
  }
  const tags: OwnerTag[] = [];
  const byLabel = new Map<string, string>();
  let valid = true;
  for (const key of keys) {
    if (key.length > 128 || /[=\s\p{Cc}]/u.test(key)) {
      problems.add(name, `"${key}" is not a tag key (at most 128 characters, no "=" or spaces)`);
      valid = false;
      continue;
    }
    const label = `tag_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
    const other = byLabel.get(label);
    if (other !== undefined) {
      problems.add(
        name,
        other === key
          ? `"${key}" is listed twice`
          : `"${other}" and "${key}" would both be label ${label}`,
      );
      valid = false;
      continue;
    }
    byLabel.set(label, key);
    tags.push({ key, label });
  }
  return valid ? tags : undefined;
}

/** The file's thresholds next to the environment's; a resource named in both is an error. */
function mergeThresholds(
  problems: Problems,
  where: string,
  fromEnvironment: ReadonlyMap<string, ThresholdOverride>,
  fromFile: ReadonlyMap<string, ThresholdOverride>,
): Map<string, ThresholdOverride> | undefined {
  const merged = new Map(fromEnvironment);
  let valid = true;
  for (const [id, override] of fromFile) {
    if (!ID_PATTERN.test(id)) {
      problems.add(`${where}.${id}`, `"${id}" is not a valid resource id`);
      valid = false;
    } else if (merged.has(id)) {
      problems.add(`${where}.${id}`, "is also set in HWCERT_CERTIFICATE_THRESHOLDS; set it once");
      valid = false;
    } else {
      merged.set(id, override);
    }
  }
  return valid ? merged : undefined;
}

interface TargetDefaults {
  /** The environment's credentials; "none" when it sets none. */
  readonly envAuth: AuthConfig | "none" | undefined;
  readonly defaultSources: readonly SourceName[] | undefined;
  readonly endpointTemplates: {
    readonly elb: string;
    readonly geminidb: string;
    readonly ccm: string;
    readonly iam: string;
  };
  /** HWCERT_DOMAIN_ID: undefined when it is invalid (already reported). */
  readonly defaultDomainId: Read<string | null>;
}

function buildEnvironmentTarget(
  problems: Problems,
  input: TargetDefaults & {
    readonly region: string | undefined;
    readonly projectId: string | undefined;
    readonly certificateIds: string | undefined;
    readonly instanceIds: string | undefined;
  },
): TargetConfig[] | undefined {
  const region =
    input.region === undefined
      ? problems.add(
          "HWCERT_REGION",
          "is required but not set (or list targets in HWCERT_CONFIG_FILE)",
        )
      : readRegion(problems, "HWCERT_REGION", input.region);
  const projectId =
    input.projectId === undefined
      ? { value: null }
      : readProjectId(problems, "HWCERT_PROJECT_ID", input.projectId);
  const templates = input.endpointTemplates;
  if (region !== undefined && !KNOWN_REGIONS.has(region)) {
    const settings = regionDependentServices(templates, input.defaultSources).map(
      (service) => ENDPOINT_SETTINGS[service],
    );
    warnUnknownRegion(problems, "HWCERT_REGION", region, settings, joinNames(settings));
  }
  if (input.envAuth === "none") {
    problems.add("credentials", NO_CREDENTIALS);
  }
  const endpoints = readEndpoints(
    problems,
    {
      elb: ["HWCERT_ELB_ENDPOINT", input.endpointTemplates.elb],
      geminidb: ["HWCERT_GEMINIDB_ENDPOINT", input.endpointTemplates.geminidb],
      ccm: ["HWCERT_CCM_ENDPOINT", input.endpointTemplates.ccm],
      iam: ["HWCERT_IAM_ENDPOINT", input.endpointTemplates.iam],
    },
    region ?? "{region}",
  );
  const certificateIds = readIdList(
    problems,
    "HWCERT_ELB_CERTIFICATE_IDS",
    input.certificateIds,
    "certificate",
  );
  const instanceIds = readIdList(
    problems,
    "HWCERT_GEMINIDB_INSTANCE_IDS",
    input.instanceIds,
    "instance",
  );
  if (
    region === undefined ||
    projectId === undefined ||
    input.envAuth === undefined ||
    input.envAuth === "none" ||
    endpoints === undefined ||
    certificateIds === undefined ||
    instanceIds === undefined ||
    input.defaultSources === undefined ||
    input.defaultDomainId === undefined
  ) {
    return undefined;
  }
  return [
    {
      label: "environment",
      region,
      projectId: projectId.value,
      domainId: input.defaultDomainId.value,
      auth: input.envAuth,
      endpoints,
      endpointSettings: mapServices((service) =>
        templates[service].includes("{region}")
          ? `HWCERT_REGION or ${ENDPOINT_SETTINGS[service]}`
          : ENDPOINT_SETTINGS[service],
      ),
      sources: input.defaultSources,
      elb: { certificateIds: certificateIds.value },
      geminidb: { instanceIds: instanceIds.value },
    },
  ];
}

function buildFileTargets(
  problems: Problems,
  file: string,
  fileTargets: readonly FileTarget[],
  defaults: TargetDefaults,
): TargetConfig[] | undefined {
  const targets: TargetConfig[] = [];
  let complete = true;
  const seen = new Map<string, string>();
  for (const [index, entry] of fileTargets.entries()) {
    const path = `targets[${String(index)}]`;
    const at = (field: string): string => `HWCERT_CONFIG_FILE: ${file}: ${path}.${field}`;
    const region = readRegion(problems, at("region"), entry.region);
    const projectId =
      entry.projectId === undefined
        ? { value: null }
        : readProjectId(problems, at("project_id"), entry.projectId);
    let auth: AuthConfig | "none" | undefined = entry.auth;
    if (auth === "none") auth = defaults.envAuth;
    if (auth === "none") {
      problems.add(
        `HWCERT_CONFIG_FILE: ${file}: ${path}`,
        `no credentials: give the target a credentials block, or set them in the environment (${NO_CREDENTIALS_SHORT})`,
      );
    }
    const endpoints = readEndpoints(
      problems,
      {
        elb: [at("endpoints.elb"), entry.endpoints.elb ?? defaults.endpointTemplates.elb],
        geminidb: [
          at("endpoints.geminidb"),
          entry.endpoints.geminidb ?? defaults.endpointTemplates.geminidb,
        ],
        ccm: [at("endpoints.ccm"), entry.endpoints.ccm ?? defaults.endpointTemplates.ccm],
        iam: [at("endpoints.iam"), entry.endpoints.iam ?? defaults.endpointTemplates.iam],
      },
      region ?? "{region}",
    );
    const certificateIds = readIdList(
      problems,
      at("elb_certificate_ids"),
      entry.certificateIds?.join(","),
      "certificate",
    );
    const instanceIds = readIdList(
      problems,
      at("geminidb_instance_ids"),
      entry.instanceIds?.join(","),
      "instance",
    );
    const domainId =
      entry.domainId === undefined
        ? defaults.defaultDomainId
        : readOptionalId(problems, at("domain_id"), entry.domainId, "domain");
    const sources =
      entry.sources === undefined
        ? defaults.defaultSources
        : readSources(problems, at("sources"), entry.sources.join(","));
    /** The endpoint template a service of this target uses: its own, else the environment's. */
    const templates = mapServices(
      (service) => entry.endpoints[service] ?? defaults.endpointTemplates[service],
    );
    if (region !== undefined && !KNOWN_REGIONS.has(region)) {
      const services = regionDependentServices(templates, sources);
      const own = joinNames(services.map((service) => `endpoints.${service}`));
      const shared = joinNames(services.map((service) => ENDPOINT_SETTINGS[service]));
      warnUnknownRegion(
        problems,
        at("region"),
        region,
        services,
        `${own} of the target (or ${shared} for every target)`,
      );
    }
    if (
      region === undefined ||
      projectId === undefined ||
      auth === undefined ||
      auth === "none" ||
      endpoints === undefined ||
      certificateIds === undefined ||
      instanceIds === undefined ||
      sources === undefined ||
      domainId === undefined
    ) {
      complete = false;
      continue;
    }
    if (projectId.value !== null) {
      for (const source of sources) {
        const key = `${region}/${projectId.value}/${source}`;
        const first = seen.get(key);
        if (first !== undefined) {
          problems.add(
            `HWCERT_CONFIG_FILE: ${file}: ${path}`,
            `polls ${source} of project ${projectId.value} in ${region} again (already in ${first})`,
          );
        }
        seen.set(key, path);
      }
    }
    targets.push({
      label: entry.name ?? path,
      region,
      projectId: projectId.value,
      domainId: domainId.value,
      auth,
      endpoints,
      endpointSettings: mapServices((service) => {
        const regionKey = `${path}.region`;
        if (entry.endpoints[service] !== undefined) {
          const key = `${path}.endpoints.${service}`;
          return templates[service].includes("{region}")
            ? `${regionKey} or ${key} in ${file}`
            : `${key} in ${file}`;
        }
        return templates[service].includes("{region}")
          ? `${regionKey} in ${file}, or ${ENDPOINT_SETTINGS[service]}`
          : ENDPOINT_SETTINGS[service];
      }),
      sources,
      elb: { certificateIds: certificateIds.value },
      geminidb: { instanceIds: instanceIds.value },
    });
  }
  return complete ? targets : undefined;
}

const NO_CREDENTIALS_SHORT =
  "HWCERT_AUTH_TOKEN; or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; or HWCERT_IAM_DOMAIN, HWCERT_IAM_USERNAME and HWCERT_IAM_PASSWORD";
const NO_CREDENTIALS = `none configured: set exactly one method: ${NO_CREDENTIALS_SHORT} (each also as <NAME>_FILE)`;

type Service = keyof TargetConfig["endpoints"];

/** The order services are named in messages: IAM first (every target may need it). */
const SERVICES = ["iam", "elb", "geminidb", "ccm"] as const satisfies readonly Service[];

const ENDPOINT_SETTINGS = {
  elb: "HWCERT_ELB_ENDPOINT",
  geminidb: "HWCERT_GEMINIDB_ENDPOINT",
  ccm: "HWCERT_CCM_ENDPOINT",
  iam: "HWCERT_IAM_ENDPOINT",
} as const satisfies Record<Service, SettingName>;

function mapServices<T>(value: (service: Service) => T): Record<Service, T> {
  return { elb: value("elb"), geminidb: value("geminidb"), ccm: value("ccm"), iam: value("iam") };
}

/**
 * The services a target calls whose endpoint still comes from the region name: IAM (tokens,
 * project and account lookups) and the polled sources, unless their endpoint was set in full.
 */
function regionDependentServices(
  templates: Readonly<Record<Service, string>>,
  sources: readonly SourceName[] | undefined,
): Service[] {
  return SERVICES.filter(
    (service) =>
      (service === "iam" || (sources ?? []).includes(service)) &&
      templates[service].includes("{region}"),
  );
}

/** "a", "a and b", "a, b and c". */
function joinNames(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

/**
 * A region outside the known public list is a warning, not an error: private regions exist.
 * Said only while some endpoint still depends on the region; `fix` names those endpoints.
 */
function warnUnknownRegion(
  problems: Problems,
  name: string,
  region: string,
  dependents: readonly string[],
  fix: string,
): void {
  if (dependents.length === 0) return;
  const suggestion = nearest(region, KNOWN_REGIONS);
  const guess = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  problems.warn(
    name,
    `"${region}" is not a known Huawei Cloud region${guess}; for a private region, set ${fix} to its API hosts`,
  );
}

function readRegion(problems: Problems, name: string, value: string): string | undefined {
  return REGION_PATTERN.test(value)
    ? value
    : problems.add(
        name,
        `"${value}" is not a region name (expected something like ap-southeast-1)`,
      );
}

/**
 * A project id: 32 lower-case hex characters, as IAM issues them (My Credentials > API
 * Credentials lists them per region). A region name here is the commonest slip: project names
 * are region names, so the console shows "ap-southeast-1" right next to the id.
 */
function readProjectId(problems: Problems, name: string, value: string): Read<string> {
  if (PROJECT_ID_PATTERN.test(value)) return { value };
  const unset = name.startsWith("HWCERT_PROJECT_ID") ? `unset ${name}` : "leave project_id out";
  const why = /^[a-z]{2}-[a-z]+-\d+$/.test(value)
    ? "looks like a project name (a region), not its id"
    : /^[0-9a-fA-F]{32}$/.test(value)
      ? "is not a project id: write it in lower case"
      : "is not a project id: Huawei Cloud project ids are 32 hexadecimal characters";
  return problems.add(
    name,
    `"${value}" ${why} (see My Credentials > API Credentials, or ${unset} to look the id up by region)`,
  );
}

function readEndpoints(
  problems: Problems,
  entries: Readonly<Record<"elb" | "geminidb" | "ccm" | "iam", readonly [string, string]>>,
  region: string,
): TargetConfig["endpoints"] | undefined {
  const elb = readEndpoint(problems, entries.elb[0], entries.elb[1], region);
  const geminidb = readEndpoint(problems, entries.geminidb[0], entries.geminidb[1], region);
  const ccm = readEndpoint(problems, entries.ccm[0], entries.ccm[1], region);
  const iam = readEndpoint(problems, entries.iam[0], entries.iam[1], region);
  return elb === undefined || geminidb === undefined || ccm === undefined || iam === undefined
    ? undefined
    : { elb, geminidb, ccm, iam };
}

/** An optional path-safe id (the account's domain id): unset is `{ value: null }`. */
function readOptionalId(
  problems: Problems,
  name: string,
  value: string | undefined,
  noun: "domain",
): Read<string | null> {
  if (value === undefined) return { value: null };
  return ID_PATTERN.test(value)
    ? { value }
    : problems.add(
        name,
        `"${value}" is not a ${noun} id (letters, digits, "-" and "_", at most 64)`,
      );
}

export function readEndpoint(
  problems: Problems,
  name: string,
  value: string | undefined,
  region: string,
): string | undefined {
  if (value === undefined) return undefined;
  const expanded = value.replaceAll("{region}", region);
  let url: URL;
  try {
    url = new URL(expanded);
  } catch {
    // The commonest slip: a bare host name, which the URL parser refuses for want of a scheme.
    return problems.add(
      name,
      !value.includes("://") && URL.canParse(`https://${expanded}`)
        ? `"${value}" is not a valid URL: add the scheme, e.g. https://${value}`
        : `"${value}" is not a valid URL`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return problems.add(name, `"${value}" must use https:// (or http:// for a local simulator)`);
  }
  if (url.username || url.password) {
    return problems.add(name, "must not contain user info; credentials have their own settings");
  }
  if (url.search || url.hash) {
    return problems.add(name, `"${value}" must not have a query or fragment`);
  }
  // Keep any path prefix (API gateways, proxies) but without the trailing slash, so request
  // paths can be appended as they are.
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function readIdList(
  problems: Problems,
  name: string,
  value: string | undefined,
  noun: "certificate" | "instance" | "resource",
): Read<readonly string[] | null> {
  if (value === undefined) return { value: null };
  const ids = [
    ...new Set(
      value
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    ),
  ];
  if (ids.length === 0) return problems.add(name, `is set but lists no ${noun} id`);
  const bad = ids.filter((id) => !ID_PATTERN.test(id));
  if (bad.length > 0) {
    return problems.add(
      name,
      `${bad.map((id) => JSON.stringify(id)).join(", ")} ${bad.length === 1 ? `is not ${noun === "instance" ? "an" : "a"} ${noun} id` : `are not ${noun} ids`} (letters, digits, "-" and "_")`,
    );
  }
  return { value: ids };
}

export function readSources(
  problems: Problems,
  name: string,
  value: string | undefined,
): readonly SourceName[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
  const unknown = entries.filter((entry) => !SOURCE_NAMES.some((source) => source === entry));
  if (unknown.length > 0) {
    return problems.add(
      name,
      `unknown source ${unknown.map((u) => JSON.stringify(u)).join(", ")} (choose from ${SOURCE_NAMES.join(", ")})`,
    );
  }
  if (entries.length === 0) return problems.add(name, "lists no source");
  return SOURCE_NAMES.filter((source) => entries.includes(source));
}

const HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

function readHostPatterns(
  problems: Problems,
  name: string,
  value: string | undefined,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const entries = [
    ...new Set(
      value
        .split(",")
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== ""),
    ),
  ];
  if (entries.length === 0) return problems.add(name, "lists no host");
  const bad = entries.filter((entry) => !isHostPattern(entry));
  if (bad.length > 0) {
    return problems.add(
      name,
      `${bad.map((b) => JSON.stringify(b)).join(", ")}: not a host name or *.suffix pattern with at least two labels`,
    );
  }
  return entries;
}

/** A host name, an IP literal, or `*.` followed by a suffix of at least two labels. */
function isHostPattern(entry: string): boolean {
  if (entry.startsWith("*.")) {
    const suffix = entry.slice(2);
    return HOST_NAME.test(suffix) && suffix.includes(".");
  }
  return HOST_NAME.test(entry) || IPV6_LITERAL.test(entry);
}

function readBoolean(
  problems: Problems,
  name: string,
  value: string | undefined,
): boolean | undefined {
  if (value === undefined) return undefined;
  const normalized = value.toLowerCase();
  if (["true", "1", "yes", "on"].includes(normalized)) return true;
  if (["false", "0", "no", "off"].includes(normalized)) return false;
  return problems.add(name, `"${value}" is not a boolean (true or false)`);
}

function readCron(problems: Problems, name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const expression = value.replace(/\s+/g, " ");
  const result = validateDetailed(expression);
  if (!result.valid) {
    const why = result.errors.map((e) => e.message).join("; ");
    return problems.add(name, `"${value}" is not a valid cron expression (${why})`);
  }
  return expression;
}

function readListenAddress(
  problems: Problems,
  name: string,
  value: string | undefined,
): ListenAddress | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value);
  const port = match?.[3] === undefined ? NaN : Number(match[3]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    return problems.add(
      name,
      `"${value}" is not a listen address (expected host:port, e.g. 0.0.0.0:10057 or [::]:10057)`,
    );
  }
  const host = match[1] ?? match[2] ?? "";
  return { host: host === "" ? "0.0.0.0" : host, port };
}

function readNumber(
  problems: Problems,
  name: string,
  value: string | undefined,
  range: { min: number; max: number; integer: boolean; minExclusive?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const number = /^[0-9]+(?:\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
  const kind = range.integer ? "a whole number" : "a number";
  if (!Number.isFinite(number) || (range.integer && !Number.isInteger(number))) {
    return problems.add(name, `"${value}" is not ${kind}`);
  }
  const tooSmall = range.minExclusive ? number <= range.min : number < range.min;
  if (tooSmall || number > range.max) {
    const from = range.minExclusive ? `above ${String(range.min)}` : String(range.min);
    return problems.add(
      name,
      `${value} is out of range (${kind} from ${from} to ${String(range.max)})`,
    );
  }
  return number;
}

function readLogLevel(
  problems: Problems,
  name: string,
  value: string | undefined,
): LogLevel | undefined {
  if (value === undefined) return undefined;
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (level === undefined) {
    return problems.add(name, `"${value}" is not a log level (one of ${LOG_LEVELS.join(", ")})`);
  }
  return level;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
