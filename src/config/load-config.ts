// Turns environment variables into a Config, or into the complete list of what is wrong with
// them: one message per problem, each naming the variable. Pure: the caller supplies the
// environment and the file reader, so tests need neither process.env nor a disk.

import { validateDetailed } from "node-cron";
import { LOG_LEVELS, type Config, type ListenAddress, type LogLevel } from "./config.js";
import { SOURCE_NAMES, type SourceName } from "../sources.js";
import { Secret } from "./secret.js";
import { SETTING_PREFIX, SETTINGS, type SettingName } from "./settings.js";

export type Environment = Readonly<Record<string, string | undefined>>;

export type ConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly string[] };

export interface LoadConfigOptions {
  /** Reads a `<NAME>_FILE` secret; throws on failure (the message is reported, not the path's content). */
  readonly readSecretFile: (path: string) => string;
}

const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** Project and certificate ids go into URL paths: allow only what is path-safe. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_TIMEOUT_SECONDS = 300;

/** Result of reading one setting: a value, nothing (unset) or an error already reported. */
type Read<T> = { readonly value: T } | undefined;

class Problems {
  readonly list: string[] = [];
  add(name: string, message: string): undefined {
    this.list.push(`${name}: ${message}`);
    return undefined;
  }
}

export function loadConfig(env: Environment, options: LoadConfigOptions): ConfigResult {
  const problems = new Problems();
  const known = new Set<string>();
  for (const setting of SETTINGS) {
    known.add(setting.name);
    if (setting.secret) known.add(`${setting.name}_FILE`);
  }
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(SETTING_PREFIX) && !known.has(name)) {
      problems.add(name, "unknown setting (check the spelling; see config/example.env)");
    }
  }

  const text = (name: SettingName): string | undefined => {
    const raw = env[name]?.trim();
    if (raw !== undefined && raw !== "") return raw;
    const spec = SETTINGS.find((s) => s.name === name);
    return spec?.defaultValue;
  };

  const required = (name: SettingName): string | undefined => {
    const value = text(name);
    if (value === undefined) problems.add(name, "is required but not set");
    return value;
  };

  const secret = (name: SettingName): Secret | undefined => {
    const direct = env[name]?.trim();
    const filePath = env[`${name}_FILE`]?.trim();
    if (direct && filePath) {
      return problems.add(name, `set both ${name} and ${name}_FILE; set only one`);
    }
    if (filePath) {
      let content: string;
      try {
        content = options.readSecretFile(filePath).trim();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
        return problems.add(`${name}_FILE`, `cannot read "${filePath}" (${code})`);
      }
      if (content === "") return problems.add(`${name}_FILE`, `"${filePath}" is empty`);
      return new Secret(content);
    }
    if (direct) return new Secret(direct);
    return problems.add(name, `is required but not set (or set ${name}_FILE)`);
  };

  const regionText = required("HWCERT_REGION");
  const region =
    regionText === undefined || REGION_PATTERN.test(regionText)
      ? regionText
      : problems.add(
          "HWCERT_REGION",
          `"${regionText}" is not a region name (expected something like ap-southeast-1)`,
        );

  const projectIdText = required("HWCERT_PROJECT_ID");
  const projectId =
    projectIdText === undefined || ID_PATTERN.test(projectIdText)
      ? projectIdText
      : problems.add(
          "HWCERT_PROJECT_ID",
          `"${projectIdText}" is not a project id (letters, digits, "-" and "_", at most 64)`,
        );

  const token = secret("HWCERT_AUTH_TOKEN");
  const endpoint = (name: SettingName): string | undefined =>
    readEndpoint(problems, name, text(name), region ?? "{region}");
  const elbEndpoint = endpoint("HWCERT_ELB_ENDPOINT");
  const geminidbEndpoint = endpoint("HWCERT_GEMINIDB_ENDPOINT");
  const iamEndpoint = endpoint("HWCERT_IAM_ENDPOINT");

  const certificateIds = readIdList(
    problems,
    "HWCERT_ELB_CERTIFICATE_IDS",
    text("HWCERT_ELB_CERTIFICATE_IDS"),
    "certificate",
  );
  const instanceIds = readIdList(
    problems,
    "HWCERT_GEMINIDB_INSTANCE_IDS",
    text("HWCERT_GEMINIDB_INSTANCE_IDS"),
    "instance",
  );
  const sources = readSources(problems, "HWCERT_SOURCES", text("HWCERT_SOURCES"));
  const maxBytes = readNumber(
    problems,
    "HWCERT_DOWNLOAD_MAX_BYTES",
    text("HWCERT_DOWNLOAD_MAX_BYTES"),
    {
      min: 1024,
      max: 64 * 1024 * 1024,
      integer: true,
    },
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
    {
      min: 0.001,
      max: MAX_TIMEOUT_SECONDS,
      integer: false,
    },
  );
  const concurrency = readNumber(problems, "HWCERT_CONCURRENCY", text("HWCERT_CONCURRENCY"), {
    min: 1,
    max: 64,
    integer: true,
  });
  const logLevel = readLogLevel(problems, "HWCERT_LOG_LEVEL", text("HWCERT_LOG_LEVEL"));

  if (
    problems.list.length > 0 ||
    region === undefined ||
    projectId === undefined ||
    token === undefined ||
    elbEndpoint === undefined ||
    geminidbEndpoint === undefined ||
    iamEndpoint === undefined ||
    certificateIds === undefined ||
    instanceIds === undefined ||
    sources === undefined ||
    maxBytes === undefined ||
    allowedHosts === undefined ||
    allowHttp === undefined ||
    pollSchedule === undefined ||
    listen === undefined ||
    timeoutSeconds === undefined ||
    concurrency === undefined ||
    logLevel === undefined
  ) {
    return { ok: false, errors: problems.list };
  }

  const config: Config = {
    region,
    projectId,
    auth: { kind: "token", token },
    endpoints: { elb: elbEndpoint, geminidb: geminidbEndpoint, iam: iamEndpoint },
    sources,
    elb: { certificateIds: certificateIds.value },
    geminidb: { instanceIds: instanceIds.value },
    download: { maxBytes, allowedHosts, allowHttp },
    pollSchedule: pollSchedule,
    listen,
    httpTimeoutMs: Math.round(timeoutSeconds * 1000),
    concurrency,
    logLevel,
  };
  return { ok: true, config: deepFreeze(config) };
}

function readEndpoint(
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
    return problems.add(name, `"${value}" is not a valid URL`);
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

function readIdList(
  problems: Problems,
  name: string,
  value: string | undefined,
  noun: "certificate" | "instance",
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

function readSources(
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
  range: { min: number; max: number; integer: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const number = /^[0-9]+(?:\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
  const kind = range.integer ? "a whole number" : "a number";
  if (!Number.isFinite(number) || (range.integer && !Number.isInteger(number))) {
    return problems.add(name, `"${value}" is not ${kind}`);
  }
  if (number < range.min || number > range.max) {
    return problems.add(
      name,
      `${value} is out of range (${kind} from ${range.integer ? range.min : "above 0"} to ${range.max})`,
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
