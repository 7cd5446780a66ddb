// Turns environment variables (and the targets file they may name) into a Config, or into the
// complete list of what is wrong: one message per problem, each naming the variable, or the
// file and the path inside it. Pure: the caller supplies the environment and the file readers,
// so tests need neither process.env nor a disk.

import type { AuthConfig, Config, TargetConfig } from "./config.js";
import { resolveAuth, type CredentialNames } from "./credentials.js";
import type { ThresholdOverride, ThresholdOverrides } from "./expiry-thresholds.js";
import { buildEnvironmentTarget, buildFileTargets, type TargetDefaults } from "./build-targets.js";
import { Problems } from "./problems.js";
import {
  allValid,
  environmentSettings,
  rejectUnknownSettings,
  type Environment,
  type EnvironmentSettings,
  type Valid,
} from "./read-settings.js";
import {
  CREDENTIAL_SETTINGS,
  SHARED_SETTINGS,
  TARGET_SETTINGS,
  type SettingValues,
} from "./settings.js";
import { ENDPOINT_SETTINGS, mapServices } from "./target-endpoints.js";
import { readTargetsFile } from "./targets-file.js";
import { ID_PATTERN } from "./text-schemas.js";

export type { Environment } from "./read-settings.js";

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

type SharedValues = SettingValues<typeof SHARED_SETTINGS>;

export function loadConfig(env: Environment, options: LoadConfigOptions): ConfigResult {
  const problems = new Problems();
  rejectUnknownSettings(problems, env);
  const settings = environmentSettings(problems, env, options.readSecretFile);
  const shared = settings.readGroup(SHARED_SETTINGS);
  const defaults: TargetDefaults = {
    envAuth: readEnvironmentAuth(problems, settings),
    sources: shared.HWCERT_SOURCES,
    endpointTemplates: mapServices((service) => shared[ENDPOINT_SETTINGS[service]] ?? ""),
    domainId: shared.HWCERT_DOMAIN_ID,
  };
  const envThresholds =
    shared.HWCERT_CERTIFICATE_THRESHOLDS === null
      ? new Map<string, ThresholdOverride>()
      : shared.HWCERT_CERTIFICATE_THRESHOLDS;
  const configFile = shared.HWCERT_CONFIG_FILE;
  const { targets, thresholdOverrides } =
    typeof configFile === "string"
      ? readFileTargets(problems, settings, configFile, { env, options, defaults, envThresholds })
      : {
          targets: buildEnvironmentTarget(problems, settings, defaults),
          thresholdOverrides: envThresholds,
        };
  const valid = allValid({ shared: allValid(shared), targets, thresholdOverrides });
  if (problems.list.length > 0 || valid === undefined) {
    return { ok: false, errors: problems.list, warnings: problems.warnings };
  }
  const config = assembleConfig(valid.shared, valid.targets, valid.thresholdOverrides);
  return { ok: true, config: deepFreeze(config), warnings: problems.warnings };
}

function assembleConfig(
  values: Valid<SharedValues>,
  targets: readonly TargetConfig[],
  thresholdOverrides: ThresholdOverrides,
): Config {
  return {
    targets,
    download: {
      maxBytes: values.HWCERT_DOWNLOAD_MAX_BYTES,
      allowedHosts: values.HWCERT_DOWNLOAD_ALLOWED_HOSTS,
      allowHttp: values.HWCERT_DOWNLOAD_ALLOW_HTTP,
    },
    pollSchedule: values.HWCERT_POLL_SCHEDULE,
    listen: values.HWCERT_LISTEN_ADDRESS,
    httpTimeoutMs: Math.round(values.HWCERT_HTTP_TIMEOUT_SECONDS * 1000),
    concurrency: values.HWCERT_CONCURRENCY,
    apiRateLimit: values.HWCERT_API_RATE_LIMIT,
    logLevel: values.HWCERT_LOG_LEVEL,
    thresholdOverrides,
    storedCertificates: new Set(values.HWCERT_STORED_CERTIFICATES ?? []),
    ownerTags: values.HWCERT_OWNER_TAGS ?? [],
    enterpriseProjectNames: values.HWCERT_ENTERPRISE_PROJECT_NAMES
      ? { endpoint: values.HWCERT_EPS_ENDPOINT }
      : null,
  };
}

const ENV_CREDENTIAL_NAMES: CredentialNames = {
  token: "HWCERT_AUTH_TOKEN",
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  domain: "HWCERT_IAM_DOMAIN",
  username: "HWCERT_IAM_USERNAME",
  password: "HWCERT_IAM_PASSWORD",
};

/** The environment's credentials: shared by every target that names none of its own. */
function readEnvironmentAuth(
  problems: Problems,
  settings: EnvironmentSettings,
): AuthConfig | "none" | undefined {
  // A credential that could not be read is reported already; deciding the method without it
  // would only add a misleading "none configured".
  const values = allValid(settings.readGroup(CREDENTIAL_SETTINGS));
  if (values === undefined) return undefined;
  const fields = {
    token: values.HWCERT_AUTH_TOKEN ?? undefined,
    accessKey: values.HUAWEICLOUD_SDK_AK ?? undefined,
    secretKey: values.HUAWEICLOUD_SDK_SK ?? undefined,
    securityToken: values.HUAWEICLOUD_SDK_SECURITY_TOKEN ?? undefined,
    domain: values.HWCERT_IAM_DOMAIN ?? undefined,
    username: values.HWCERT_IAM_USERNAME ?? undefined,
    password: values.HWCERT_IAM_PASSWORD ?? undefined,
  };
  return resolveAuth(problems, fields, ENV_CREDENTIAL_NAMES, "credentials");
}

/**
 * The targets and thresholds of HWCERT_CONFIG_FILE. Settings that describe one target belong in
 * the file then; the environment's thresholds join the file's.
 */
function readFileTargets(
  problems: Problems,
  settings: EnvironmentSettings,
  file: string,
  context: {
    readonly env: Environment;
    readonly options: LoadConfigOptions;
    readonly defaults: TargetDefaults;
    readonly envThresholds: ThresholdOverrides | undefined;
  },
): { targets?: TargetConfig[] | undefined; thresholdOverrides: ThresholdOverrides | undefined } {
  for (const { name } of TARGET_SETTINGS) {
    if (settings.isSet(name)) {
      problems.add(name, "is set per target in HWCERT_CONFIG_FILE; remove it from the environment");
    }
  }
  const { env, options, defaults, envThresholds } = context;
  const targetsFile = readTargetsFile(
    problems,
    file,
    options.readConfigFile ?? options.readSecretFile,
    options.readSecretFile,
    env,
  );
  if (targetsFile === undefined) return { thresholdOverrides: envThresholds };
  const thresholdOverrides =
    envThresholds === undefined
      ? undefined
      : mergeThresholds(
          problems,
          `HWCERT_CONFIG_FILE: ${file}: thresholds`,
          envThresholds,
          targetsFile.thresholds,
        );
  const targets =
    defaults.sources === undefined
      ? undefined
      : buildFileTargets(problems, file, targetsFile.targets, defaults);
  return { targets, thresholdOverrides };
}

/** The file's thresholds next to the environment's; a resource named in both is an error. */
function mergeThresholds(
  problems: Problems,
  where: string,
  fromEnvironment: ThresholdOverrides,
  fromFile: ThresholdOverrides,
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
