// Builds the targets to poll: the environment's own one, or those of HWCERT_CONFIG_FILE with the
// environment's credentials, sources, endpoints and domain id as their defaults. Checks each
// target's values with the same schemas as the environment, and that no two targets poll the
// same source of one project. Reads no file itself: targets-file.ts does.

import type { SourceName } from "../source-names.js";
import type { AuthConfig, TargetConfig } from "./config.js";
import type { Problems } from "./problems.js";
import { allValid, type EnvironmentSettings } from "./read-settings.js";
import {
  ENDPOINT_SETTINGS,
  joinNames,
  mapServices,
  readEndpoints,
  regionDependentServices,
  usesRegion,
  warnUnknownRegion,
  type PerService,
} from "./target-endpoints.js";
import type { FileTarget } from "./targets-file.js";
import {
  idListText,
  idText,
  parseText,
  projectIdText,
  regionText,
  sourcesText,
  type TextSchema,
} from "./text-schemas.js";

/** What the environment gives every target; undefined where its setting was refused. */
export interface TargetDefaults {
  /** The environment's credentials; "none" when it sets none. */
  readonly envAuth: AuthConfig | "none" | undefined;
  readonly sources: readonly SourceName[] | undefined;
  readonly endpointTemplates: PerService<string>;
  /** HWCERT_DOMAIN_ID; null when unset. */
  readonly domainId: string | null | undefined;
}

const NO_CREDENTIALS_SHORT =
  "HWCERT_AUTH_TOKEN; or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; or HWCERT_IAM_DOMAIN, HWCERT_IAM_USERNAME and HWCERT_IAM_PASSWORD";
const NO_CREDENTIALS = `none configured: set exactly one method: ${NO_CREDENTIALS_SHORT} (each also as <NAME>_FILE)`;

export function buildEnvironmentTarget(
  problems: Problems,
  settings: EnvironmentSettings,
  defaults: TargetDefaults,
): TargetConfig[] | undefined {
  let region = settings.read("HWCERT_REGION");
  if (region === null) {
    region = problems.add(
      "HWCERT_REGION",
      "is required but not set (or list targets in HWCERT_CONFIG_FILE)",
    );
  }
  const projectId = settings.read("HWCERT_PROJECT_ID");
  const templates = defaults.endpointTemplates;
  if (region !== undefined) {
    const dependents = regionDependentServices(templates, defaults.sources).map(
      (service) => ENDPOINT_SETTINGS[service],
    );
    warnUnknownRegion(problems, "HWCERT_REGION", region, dependents, joinNames(dependents));
  }
  if (defaults.envAuth === "none") problems.add("credentials", NO_CREDENTIALS);
  const endpoints = readEndpoints(problems, ENDPOINT_SETTINGS, templates, region ?? "{region}");
  const certificateIds = settings.read("HWCERT_ELB_CERTIFICATE_IDS");
  const instanceIds = settings.read("HWCERT_GEMINIDB_INSTANCE_IDS");
  const auth = defaults.envAuth === "none" ? undefined : defaults.envAuth;
  const valid = allValid({ region, projectId, auth, endpoints, certificateIds, instanceIds });
  if (valid === undefined || defaults.sources === undefined || defaults.domainId === undefined) {
    return undefined;
  }
  return [
    {
      label: "environment",
      region: valid.region,
      projectId: valid.projectId,
      domainId: defaults.domainId,
      auth: valid.auth,
      endpoints: valid.endpoints,
      endpointSettings: mapServices((service) =>
        usesRegion(templates[service])
          ? `HWCERT_REGION or ${ENDPOINT_SETTINGS[service]}`
          : ENDPOINT_SETTINGS[service],
      ),
      sources: defaults.sources,
      elb: { certificateIds: valid.certificateIds },
      geminidb: { instanceIds: valid.instanceIds },
    },
  ];
}

/** The targets of the file, or undefined when any is refused (every reason is reported). */
export function buildFileTargets(
  problems: Problems,
  file: string,
  fileTargets: readonly FileTarget[],
  defaults: TargetDefaults,
): TargetConfig[] | undefined {
  const targets: TargetConfig[] = [];
  let complete = true;
  /** Which target first polls each source of a project: `region/project/source` → path. */
  const polled = new Map<string, string>();
  for (const [index, entry] of fileTargets.entries()) {
    const path = `targets[${String(index)}]`;
    const target = buildFileTarget(problems, file, path, entry, defaults);
    if (target === undefined) {
      complete = false;
      continue;
    }
    rejectRepeatedPolls(problems, `HWCERT_CONFIG_FILE: ${file}`, path, target, polled);
    targets.push(target);
  }
  return complete ? targets : undefined;
}

/** A project's source polled by two targets would be counted twice. */
function rejectRepeatedPolls(
  problems: Problems,
  where: string,
  path: string,
  target: TargetConfig,
  polled: Map<string, string>,
): void {
  if (target.projectId === null) return;
  for (const source of target.sources) {
    const key = `${target.region}/${target.projectId}/${source}`;
    const first = polled.get(key);
    if (first !== undefined) {
      problems.add(
        `${where}: ${path}`,
        `polls ${source} of project ${target.projectId} in ${target.region} again (already in ${first})`,
      );
    }
    polled.set(key, path);
  }
}

function buildFileTarget(
  problems: Problems,
  file: string,
  path: string,
  entry: FileTarget,
  defaults: TargetDefaults,
): TargetConfig | undefined {
  const at = (key: string): string => `HWCERT_CONFIG_FILE: ${file}: ${path}.${key}`;
  /** A key of the target, parsed; `unset` when the target leaves it out. */
  const field = <T>(key: string, schema: TextSchema<T>, text: string | undefined, unset: T) =>
    text === undefined ? unset : parseText(problems, at(key), schema, text);
  const region = parseText(problems, at("region"), regionText, entry.region);
  const projectId = field("project_id", PROJECT_ID_IN_FILE, entry.projectId, null);
  const auth = entry.auth === "none" ? defaults.envAuth : entry.auth;
  if (auth === "none") {
    problems.add(
      `HWCERT_CONFIG_FILE: ${file}: ${path}`,
      `no credentials: give the target a credentials block, or set them in the environment (${NO_CREDENTIALS_SHORT})`,
    );
  }
  /** The endpoint template a service of this target uses: its own, else the environment's. */
  const templates = mapServices(
    (service) => entry.endpoints[service] ?? defaults.endpointTemplates[service],
  );
  const endpointKeys = mapServices((service) => at(`endpoints.${service}`));
  const endpoints = readEndpoints(problems, endpointKeys, templates, region ?? "{region}");
  const certificateIds = field(
    "elb_certificate_ids",
    idListText("certificate"),
    entry.certificateIds?.join(","),
    null,
  );
  const instanceIds = field(
    "geminidb_instance_ids",
    idListText("instance"),
    entry.instanceIds?.join(","),
    null,
  );
  const domainId = field("domain_id", idText("domain"), entry.domainId, defaults.domainId);
  const sources = field("sources", sourcesText, entry.sources?.join(","), defaults.sources);
  if (region !== undefined)
    warnFileTargetRegion(problems, at("region"), region, templates, sources);
  const valid = allValid({
    region,
    projectId,
    auth: auth === "none" ? undefined : auth,
    endpoints,
    certificateIds,
    instanceIds,
    domainId,
    sources,
  });
  if (valid === undefined) return undefined;
  return {
    label: entry.name ?? path,
    region: valid.region,
    projectId: valid.projectId,
    domainId: valid.domainId,
    auth: valid.auth,
    endpoints: valid.endpoints,
    endpointSettings: fileEndpointSettings(file, path, entry, templates),
    sources: valid.sources,
    elb: { certificateIds: valid.certificateIds },
    geminidb: { instanceIds: valid.instanceIds },
  };
}

const PROJECT_ID_IN_FILE = projectIdText("leave project_id out");

/** The unknown-region warning of a file target names its own keys and the shared settings. */
function warnFileTargetRegion(
  problems: Problems,
  name: string,
  region: string,
  templates: PerService<string>,
  sources: readonly SourceName[] | undefined,
): void {
  const services = regionDependentServices(templates, sources);
  const own = joinNames(services.map((service) => `endpoints.${service}`));
  const shared = joinNames(services.map((service) => ENDPOINT_SETTINGS[service]));
  const fix = `${own} of the target (or ${shared} for every target)`;
  warnUnknownRegion(problems, name, region, services, fix);
}

/**
 * For each endpoint of a file target, the keys and settings that decide it, as an operator
 * would look for them.
 */
function fileEndpointSettings(
  file: string,
  path: string,
  entry: FileTarget,
  templates: PerService<string>,
): PerService<string> {
  const regionKey = `${path}.region`;
  return mapServices((service) => {
    if (entry.endpoints[service] !== undefined) {
      const key = `${path}.endpoints.${service}`;
      return usesRegion(templates[service])
        ? `${regionKey} or ${key} in ${file}`
        : `${key} in ${file}`;
    }
    return usesRegion(templates[service])
      ? `${regionKey} in ${file}, or ${ENDPOINT_SETTINGS[service]}`
      : ENDPOINT_SETTINGS[service];
  });
}
