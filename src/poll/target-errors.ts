// Who counts what in hwcert_errors_total for one target, in one place. A 429 from a source's own
// service counts as rate_limited the moment it is answered, even when a retry then succeeds; the
// source's poll therefore does not count a rate_limited failure again. A lookup made on a
// source's behalf through another service (IAM, EPS) counts its failure, 429 included, as the
// source's: no one counted it when it was answered.

import type { CloudService } from "../cloud/errors.js";
import type { TargetConfig } from "../config/config.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";

/** The counters a target reports into (the live metrics). */
export interface TargetCounters {
  recordError(source: SourceName, reason: ErrorReason): void;
  recordApiRequest(service: string, operation: string, code: string): void;
}

export interface TargetErrors {
  /** A 429 answer from `service` (the cloud client's onThrottled). */
  readonly onThrottled: (service: CloudService) => void;
  /** Counts a failure inside `source`'s poll (its recordError). */
  readonly forSource: (source: SourceName) => (reason: ErrorReason) => void;
  /** Counts a failed lookup through another service made for `source`. */
  readonly onBehalfOf: (source: SourceName, reason: ErrorReason) => void;
}

export function targetErrors(target: TargetConfig, counters: TargetCounters): TargetErrors {
  return {
    onThrottled: (service) => {
      if (service !== "iam" && service !== "eps" && target.sources.includes(service)) {
        counters.recordError(service, "rate_limited");
      }
    },
    forSource: (source) => (reason) => {
      if (reason !== "rate_limited") counters.recordError(source, reason);
    },
    onBehalfOf: (source, reason) => {
      counters.recordError(source, reason);
    },
  };
}
