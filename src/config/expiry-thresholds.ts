// Per-certificate expiry thresholds: the operator's override of the lifetime-relative default for
// one resource (an ELB certificate, a GeminiDB instance, a CCM certificate), e.g. a certificate
// renewed weekly that should warn 2 days ahead, or a yearly one that should warn 60 days ahead.
// Read from HWCERT_CERTIFICATE_THRESHOLDS and the targets file; validated here, once.

import type { Problems } from "./problems.js";

/** Time left below which the resource's certificates are warning / critical, in seconds. */
export interface ThresholdOverride {
  readonly warningSeconds: number;
  readonly criticalSeconds: number;
}

/** Keyed by resource id (ids are unique across projects and services). */
export type ThresholdOverrides = ReadonlyMap<string, ThresholdOverride>;

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
/** Prometheus duration syntax restricted to the units that make sense here, largest first. */
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const MAX_SECONDS = 3_650 * UNIT_SECONDS.d;

/** `14d`, `36h`, `1d12h`, `90m` → seconds; undefined when not such a duration or zero. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [, days, hours, minutes, seconds] = match;
  const total =
    Number(days ?? 0) * UNIT_SECONDS.d +
    Number(hours ?? 0) * UNIT_SECONDS.h +
    Number(minutes ?? 0) * UNIT_SECONDS.m +
    Number(seconds ?? 0) * UNIT_SECONDS.s;
  return total > 0 ? total : undefined;
}

/**
 * One override, or undefined after reporting what is wrong under `name`: both durations valid,
 * critical not longer than warning, neither beyond ten years.
 */
export function readThresholdOverride(
  problems: Problems,
  name: string,
  warning: string,
  critical: string,
): ThresholdOverride | undefined {
  const warningSeconds = parseDuration(warning);
  const criticalSeconds = parseDuration(critical);
  let valid = true;
  for (const [label, text, seconds] of [
    ["warning", warning, warningSeconds],
    ["critical", critical, criticalSeconds],
  ] as const) {
    if (seconds === undefined) {
      problems.add(name, `${label} "${text}" is not a duration such as 14d, 36h or 1d12h`);
      valid = false;
    } else if (seconds > MAX_SECONDS) {
      problems.add(name, `${label} "${text}" is longer than 3650d`);
      valid = false;
    }
  }
  if (!valid || warningSeconds === undefined || criticalSeconds === undefined) return undefined;
  if (criticalSeconds > warningSeconds) {
    return problems.add(
      name,
      `critical "${critical}" is longer than warning "${warning}"; critical must come later`,
    );
  }
  return { warningSeconds, criticalSeconds };
}

/**
 * HWCERT_CERTIFICATE_THRESHOLDS: comma-separated `<resource_id>=<warning>/<critical>` entries,
 * e.g. `cert-1=14d/3d,ins-9=60d/20d`. Unset gives an empty map.
 */
export function readThresholdOverrides(
  problems: Problems,
  name: string,
  value: string | undefined,
  idPattern: RegExp,
): Map<string, ThresholdOverride> | undefined {
  const overrides = new Map<string, ThresholdOverride>();
  if (value === undefined) return overrides;
  let valid = true;
  for (const entry of value.split(",").map((part) => part.trim())) {
    if (entry === "") continue;
    const match = /^([^=\s]+)\s*=\s*([^/\s]+)\s*\/\s*(\S+)$/.exec(entry);
    if (!match) {
      problems.add(
        name,
        `"${entry}" is not <resource_id>=<warning>/<critical>, e.g. cert-1=14d/3d`,
      );
      valid = false;
      continue;
    }
    const [, id = "", warning = "", critical = ""] = match;
    if (!idPattern.test(id)) {
      problems.add(name, `"${id}" is not a valid resource id`);
      valid = false;
      continue;
    }
    if (overrides.has(id)) {
      problems.add(name, `resource "${id}" is listed twice`);
      valid = false;
      continue;
    }
    const override = readThresholdOverride(problems, `${name}: ${id}`, warning, critical);
    if (override === undefined) valid = false;
    else overrides.set(id, override);
  }
  return valid ? overrides : undefined;
}
