// Expiry severity of one certificate: the single definition the status page shares with the
// shipped alert rules (deploy/prometheus/huaweicloud-cert-exporter.rules.yml). Pure: callers
// pass the time. The `check` command's fixed day limits are built here too, as plain thresholds.

/** Most urgent first; the order is the page's and the report's sort order for equal times. */
export const SEVERITIES = ["expired", "critical", "warning", "ok"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DAY_SECONDS = 86_400;

/** Time left below which a certificate is warning / critical, in seconds. */
export interface ExpiryThresholds {
  readonly warningSeconds: number;
  readonly criticalSeconds: number;
}

/** Validity bounds in Unix seconds; notBefore is null when unknown (ELB expire_time only). */
export interface Validity {
  readonly notBefore: number | null;
  readonly notAfter: number;
}

/** The alert rules' absolute limits, used when the lifetime is unknown. */
export const ABSOLUTE_THRESHOLDS: ExpiryThresholds = {
  warningSeconds: 28 * DAY_SECONDS,
  criticalSeconds: 7 * DAY_SECONDS,
};

/**
 * The alert rules' lifetime-relative limits: warning below min(30 % of notAfter − notBefore,
 * 28 days), critical below min(10 %, 7 days). Without a positive lifetime (no or zero notBefore,
 * as the rules' `> 0` guards) the absolute 28 / 7 days apply.
 */
export function lifetimeThresholds(validity: Validity): ExpiryThresholds {
  const { notBefore, notAfter } = validity;
  if (notBefore === null || notBefore <= 0 || notAfter <= 0 || notAfter - notBefore <= 0) {
    return ABSOLUTE_THRESHOLDS;
  }
  const lifetime = notAfter - notBefore;
  return {
    warningSeconds: Math.min(0.3 * lifetime, ABSOLUTE_THRESHOLDS.warningSeconds),
    criticalSeconds: Math.min(0.1 * lifetime, ABSOLUTE_THRESHOLDS.criticalSeconds),
  };
}

/** Fixed limits in days (the `check` command's --warn-days / --critical-days). */
export function fixedThresholds(warnDays: number, criticalDays: number): ExpiryThresholds {
  return { warningSeconds: warnDays * DAY_SECONDS, criticalSeconds: criticalDays * DAY_SECONDS };
}

/** expired at or after notAfter; critical / warning strictly below their limit; ok otherwise. */
export function classifyExpiry(secondsLeft: number, thresholds: ExpiryThresholds): Severity {
  if (secondsLeft <= 0) return "expired";
  if (secondsLeft < thresholds.criticalSeconds) return "critical";
  if (secondsLeft < thresholds.warningSeconds) return "warning";
  return "ok";
}
