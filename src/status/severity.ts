// The one severity model: whether a resource is in use, and how urgent each of its certificates
// is (expired, critical, warning, notice, ok), from the inputs the shipped alert rules read:
// thresholds, hwcert_resource_in_use and the CCM status. The status page, its JSON, `check`, the
// hwcert_resource_in_use gauge and the rules' hwcert:certificate_severity all follow this
// module (test/deploy/severity-agreement.test.ts runs the rules in promtool against it).
// Pure: callers pass the time left; nothing here reads a clock or formats text.

import type { SourceSnapshotBase } from "../poll/snapshot.js";
import { assertModuleOf, moduleOf, type SourceName } from "../source-names.js";

/** Most urgent first; the order is the page's and the report's sort order for equal times. */
export const SEVERITIES = ["expired", "critical", "warning", "notice", "ok"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The `severity` label of the alerts a certificate of each severity raises; null: none. */
export const ALERT_SEVERITY: Readonly<Record<Severity, "critical" | "warning" | "info" | null>> = {
  expired: "critical",
  critical: "critical",
  warning: "warning",
  notice: "info",
  ok: null,
};

/** What pages: the severities that make `check` exit 2. */
export function isUrgent(severity: Severity): boolean {
  return severity === "expired" || severity === "critical";
}

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

/**
 * The rules' effective thresholds: the resource's override (HWCERT_CERTIFICATE_THRESHOLDS),
 * else lifetime-relative, else absolute.
 */
export function effectiveThresholds(
  validity: Validity,
  override: ExpiryThresholds | undefined,
): ExpiryThresholds {
  return override ?? lifetimeThresholds(validity);
}

/** Fixed limits in days (the `check` command's --warn-days / --critical-days). */
export function fixedThresholds(warnDays: number, criticalDays: number): ExpiryThresholds {
  return { warningSeconds: warnDays * DAY_SECONDS, criticalSeconds: criticalDays * DAY_SECONDS };
}

/** Whether a resource's certificates serve anyone: what decides between paging and a notice. */
export const USAGES = ["in_use", "stored", "unknown"] as const;
export type Usage = (typeof USAGES)[number];

/** What the exporter can see of a resource's use; each source gathers its own. */
export interface UsageFacts {
  /**
   * Uses the exporter sees: an ELB certificate's listeners, the resources of any source that use
   * a CCM certificate; null while they are unknown (ELB listeners not listed yet).
   */
  readonly visibleUses: number | null;
  /**
   * Whether a resource with no visible use may still serve where the exporter cannot look: a
   * CCM certificate is often downloaded and installed outside Huawei Cloud.
   */
  readonly mayBeUsedUnseen: boolean;
  /** Listed in HWCERT_STORED_CERTIFICATES. */
  readonly markedStored: boolean;
}

/**
 * Decided so that nothing in use is ever taken for stored: a visible use always wins over the
 * operator's mark, and what cannot be seen is in use (unknown uses page as in use). In that
 * order: a visible use → in use; marked → stored; uses unknown → unknown; no visible use but
 * maybe one unseen → in use; else (provably unused) → stored.
 * - ELB certificate: its listeners are its uses; provably on no listener → stored.
 * - GeminiDB CA: one use, always (the instance itself serves it).
 * - CCM certificate: the ELB certificates and GeminiDB instances using it; unused ones may be
 *   installed outside Huawei Cloud, so only the operator's mark makes one stored.
 */
export function decideUsage(facts: UsageFacts): Usage {
  if (facts.visibleUses !== null && facts.visibleUses > 0) return "in_use";
  if (facts.markedStored) return "stored";
  if (facts.visibleUses === null) return "unknown";
  return facts.mayBeUsedUnseen ? "in_use" : "stored";
}

/** What Cloud Certificate Manager itself says is wrong with a certificate; null: nothing. */
export type StatusAlarm = "revoked" | "expired" | null;

/** From CCM's status as the exporter classifies it (`issued`, `revoked`, …); null: none. */
export function statusAlarm(status: string | null): StatusAlarm {
  return status === "revoked" || status === "expired" ? status : null;
}

export interface SeverityInput {
  /** notAfter − now; 0 or less once expired. */
  readonly secondsLeft: number;
  readonly thresholds: ExpiryThresholds;
  readonly usage: Usage;
  readonly statusAlarm: StatusAlarm;
}

/**
 * The rule (unknown use counts as in use: page rather than miss):
 * - stored: a `notice` once less than the warning threshold is left or CCM reports it revoked or
 *   expired; else `ok`. A stored certificate never pages.
 * - in use or unknown: `expired` at or after notAfter or when CCM reports it expired; `critical`
 *   when CCM reports it revoked or less than the critical threshold is left; `warning` below the
 *   warning threshold; else `ok`. Limits are strict: exactly the threshold left is not below it.
 */
export function decideSeverity(input: SeverityInput): Severity {
  const { secondsLeft, thresholds, usage, statusAlarm: alarm } = input;
  if (usage === "stored") {
    return secondsLeft < thresholds.warningSeconds || alarm !== null ? "notice" : "ok";
  }
  if (secondsLeft <= 0 || alarm === "expired") return "expired";
  if (alarm === "revoked" || secondsLeft < thresholds.criticalSeconds) return "critical";
  if (secondsLeft < thresholds.warningSeconds) return "warning";
  return "ok";
}

/** A resource that uses a CCM certificate: an ELB certificate managed in CCM, or an instance. */
export interface CcmUser {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  readonly resourceId: string;
  readonly resourceName: string;
}

/** A resource as ccmCertificateUsers reads it (a ResourceView, src/sources/source.ts). */
export interface CcmUserResource {
  readonly id: string;
  readonly name: string;
  /** The CCM certificate it uses or is managed by; null: none. */
  readonly ccmCertificateId: string | null;
}

/** What ccmCertificateUsers needs of a source module. */
export interface CcmUserSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  resources(snapshot: S): Iterable<CcmUserResource>;
}

/**
 * Every CCM certificate id used by a resource of any source (an ELB certificate, a GeminiDB
 * instance), with its users in the snapshot's order. CCM is account-wide, so the user may be in
 * any project or region.
 */
export function ccmCertificateUsers(
  modules: readonly CcmUserSource[],
  sources: readonly SourceSnapshotBase[],
): ReadonlyMap<string, readonly CcmUser[]> {
  return ccmUsersOf(
    sources.map((snapshot) => ({
      snapshot,
      resources: moduleOf(modules, snapshot).resources(snapshot),
    })),
  );
}

/** ccmCertificateUsers over resources already listed (the metrics renderer lists them once). */
export function ccmUsersOf(
  sources: Iterable<{
    readonly snapshot: SourceSnapshotBase;
    readonly resources: Iterable<CcmUserResource>;
  }>,
): ReadonlyMap<string, readonly CcmUser[]> {
  const users = new Map<string, CcmUser[]>();
  for (const { snapshot, resources } of sources) {
    for (const resource of resources) {
      const ccmId = resource.ccmCertificateId;
      if (ccmId === null) continue;
      const user: CcmUser = {
        source: snapshot.source,
        region: snapshot.region,
        projectId: snapshot.projectId,
        resourceId: resource.id,
        resourceName: resource.name,
      };
      const list = users.get(ccmId);
      if (list) list.push(user);
      else users.set(ccmId, [user]);
    }
  }
  return users;
}

/** What decides usage beyond a source's own data. */
export interface UsageContext {
  /** The operator's marks (HWCERT_STORED_CERTIFICATES): resource ids only stored. */
  readonly storedCertificates: ReadonlySet<string>;
  /** From ccmCertificateUsers over the whole snapshot. */
  readonly ccmUsers: ReadonlyMap<string, readonly CcmUser[]>;
}

/**
 * How a source judges the use of its resources (a SourceModule's `usage`): it gathers its
 * UsageFacts and lets decideUsage decide.
 */
export interface UsageSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  usage(snapshot: S, resourceId: string, context: UsageContext): Usage;
}

/**
 * The usage of one resource of a source, as the page, `check` and the gauge all see it.
 * `module` must be the snapshot's own (see moduleOf in source-names.ts).
 */
export function resourceUsage<S extends SourceSnapshotBase>(
  module: UsageSource<S>,
  source: S,
  resourceId: string,
  context: UsageContext,
): Usage {
  assertModuleOf(module, source);
  return module.usage(source, resourceId, context);
}
