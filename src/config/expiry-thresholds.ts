// Per-certificate expiry thresholds: the operator's override of the lifetime-relative default for
// one resource (an ELB certificate, a GeminiDB instance, a CCM certificate), e.g. a certificate
// renewed weekly that should warn 2 days ahead, or a yearly one that should warn 60 days ahead.
// Read from HWCERT_CERTIFICATE_THRESHOLDS and the targets file; validated here, once.

import { z } from "zod";
import type { Problems } from "./problems.js";
import { ID_PATTERN, refuse, splitList, type TextSchema } from "./text-schemas.js";

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
 * One override, or every reason to refuse it: both durations valid, critical not longer than
 * warning, neither beyond ten years.
 */
function checkThresholdOverride(warning: string, critical: string): ThresholdOverride | string[] {
  const warningSeconds = parseDuration(warning);
  const criticalSeconds = parseDuration(critical);
  const errors: string[] = [];
  for (const [label, text, seconds] of [
    ["warning", warning, warningSeconds],
    ["critical", critical, criticalSeconds],
  ] as const) {
    if (seconds === undefined) {
      errors.push(`${label} "${text}" is not a duration such as 14d, 36h or 1d12h`);
    } else if (seconds > MAX_SECONDS) {
      errors.push(`${label} "${text}" is longer than 3650d`);
    }
  }
  if (errors.length > 0 || warningSeconds === undefined || criticalSeconds === undefined) {
    return errors;
  }
  if (criticalSeconds > warningSeconds) {
    return [`critical "${critical}" is longer than warning "${warning}"; critical must come later`];
  }
  return { warningSeconds, criticalSeconds };
}

/** One override, or undefined after reporting under `name` what is wrong with it. */
export function readThresholdOverride(
  problems: Problems,
  name: string,
  warning: string,
  critical: string,
): ThresholdOverride | undefined {
  const checked = checkThresholdOverride(warning, critical);
  if (!Array.isArray(checked)) return checked;
  for (const message of checked) problems.add(name, message);
  return undefined;
}

/**
 * HWCERT_CERTIFICATE_THRESHOLDS: comma-separated `<resource_id>=<warning>/<critical>` entries,
 * e.g. `cert-1=14d/3d,ins-9=60d/20d`. Every bad entry is reported.
 */
export const thresholdOverridesText: TextSchema<Map<string, ThresholdOverride>> = z
  .string()
  .transform((text, context) => {
    const overrides = new Map<string, ThresholdOverride>();
    const errors: string[] = [];
    for (const entry of splitList(text)) {
      const match = /^([^=\s]+)\s*=\s*([^/\s]+)\s*\/\s*(\S+)$/.exec(entry);
      if (!match) {
        errors.push(`"${entry}" is not <resource_id>=<warning>/<critical>, e.g. cert-1=14d/3d`);
        continue;
      }
      const [, id = "", warning = "", critical = ""] = match;
      if (!ID_PATTERN.test(id)) {
        errors.push(`"${id}" is not a valid resource id`);
      } else if (overrides.has(id)) {
        errors.push(`resource "${id}" is listed twice`);
      } else {
        const checked = checkThresholdOverride(warning, critical);
        if (Array.isArray(checked)) errors.push(...checked.map((message) => `${id}: ${message}`));
        else overrides.set(id, checked);
      }
    }
    return errors.length > 0 ? refuse(context, ...errors) : overrides;
  });
