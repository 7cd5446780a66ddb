// The API endpoints of a target: which settings decide each one, its URL once the region is
// substituted, and the warning for a region that is no known public one while some endpoint
// still depends on it. Says nothing about which endpoints a target calls; the sources decide.

import type { SourceName } from "../source-names.js";
import type { TargetConfig } from "./config.js";
import { nearest } from "./nearest.js";
import type { Problems } from "./problems.js";
import { KNOWN_REGIONS } from "./regions.js";
import { allValid } from "./read-settings.js";
import type { SettingName } from "./settings.js";
import { endpointText, parseText } from "./text-schemas.js";

export type Service = keyof TargetConfig["endpoints"];
export type PerService<T> = Readonly<Record<Service, T>>;

/** The order services are named in messages: IAM first (every target may need it). */
const SERVICES = ["iam", "elb", "geminidb", "ccm"] as const satisfies readonly Service[];

export const ENDPOINT_SETTINGS = {
  elb: "HWCERT_ELB_ENDPOINT",
  geminidb: "HWCERT_GEMINIDB_ENDPOINT",
  ccm: "HWCERT_CCM_ENDPOINT",
  iam: "HWCERT_IAM_ENDPOINT",
} as const satisfies Record<Service, SettingName>;

export function mapServices<T>(value: (service: Service) => T): Record<Service, T> {
  return { elb: value("elb"), geminidb: value("geminidb"), ccm: value("ccm"), iam: value("iam") };
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
