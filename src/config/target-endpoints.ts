// The API endpoints of a target: which settings decide each one, its URL once the region is
// substituted, and the warning for a region that is no known public one while some endpoint
// still depends on it. Each source's endpoint comes from its catalogue entry (source-names.ts),
// IAM's is the one named here. Says nothing about which endpoints a target calls; sources decide.

import { SOURCE_CATALOGUE, SOURCE_NAMES, type SourceName } from "../source-names.js";
import type { Service, TargetConfig } from "./config.js";
import { nearest } from "./nearest.js";
import type { Problems } from "./problems.js";
import { KNOWN_REGIONS } from "./regions.js";
import { allValid } from "./read-settings.js";
import type { SettingName } from "./settings.js";
import { endpointText, parseText } from "./text-schemas.js";

export type { Service } from "./config.js";
export type PerService<T> = Readonly<Record<Service, T>>;

/** The order endpoints are read and checked in, as the settings are listed: IAM last. */
export const ENDPOINT_SERVICES = [...SOURCE_NAMES, "iam"] as const satisfies readonly Service[];

/** The order services are named in messages: IAM first (every target may need it). */
const SERVICES = ["iam", ...SOURCE_NAMES] as const satisfies readonly Service[];

/** The setting of each endpoint: a source's from its catalogue entry, and IAM's own. */
type EndpointSetting = Extract<
  SettingName,
  (typeof SOURCE_CATALOGUE)[SourceName]["endpoint"]["setting"] | "HWCERT_IAM_ENDPOINT"
>;

export const ENDPOINT_SETTINGS: PerService<EndpointSetting> = mapServices((service) =>
  service === "iam" ? "HWCERT_IAM_ENDPOINT" : SOURCE_CATALOGUE[service].endpoint.setting,
);

export function mapServices<T>(value: (service: Service) => T): Record<Service, T> {
  return Object.fromEntries(
    ENDPOINT_SERVICES.map((service) => [service, value(service)]),
  ) as Record<Service, T>;
}

/** Each endpoint template with `{region}` replaced, checked as a URL and reported under `names`. */
export function readEndpoints(
  problems: Problems,
  names: PerService<string>,
  templates: PerService<string>,
  region: string,
): TargetConfig["endpoints"] | undefined {
  const schema = endpointText(region);
  return allValid(
    mapServices((service) => parseText(problems, names[service], schema, templates[service])),
  );
}

/** Whether the endpoint still comes from the region name (it was not set in full). */
export function usesRegion(template: string): boolean {
  return template.includes("{region}");
}

/**
 * The services a target calls whose endpoint still comes from the region name: IAM (tokens,
 * project and account lookups) and the polled sources, unless their endpoint was set in full.
 */
export function regionDependentServices(
  templates: PerService<string>,
  sources: readonly SourceName[] | undefined,
): Service[] {
  return SERVICES.filter(
    (service) =>
      (service === "iam" || (sources ?? []).includes(service)) && usesRegion(templates[service]),
  );
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

/**
 * A region outside the known public list is a warning, not an error: private regions exist.
 * Said only while some endpoint still depends on the region; `fix` names those endpoints.
 */
export function warnUnknownRegion(
  problems: Problems,
  name: string,
  region: string,
  dependents: readonly string[],
  fix: string,
): void {
  if (KNOWN_REGIONS.has(region) || dependents.length === 0) return;
  const suggestion = nearest(region, KNOWN_REGIONS);
  const guess = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  problems.warn(
    name,
    `"${region}" is not a known Huawei Cloud region${guess}; for a private region, set ${fix} to its API hosts`,
  );
}
