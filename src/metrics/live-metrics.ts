// Metrics that change outside polls or during them: request and error counters, the poll
// duration histogram, build info and the process metrics. They live in a registry of their
// own (never prom-client's global one) and are rendered on every scrape; they are small.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { ERROR_REASONS, type ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";
import { EXCLUDED_DEFAULT_METRICS, LIVE_METRICS, POLL_DURATION_BUCKETS } from "./contract.js";

export const PROCESS_ERROR_KINDS = ["unhandled_rejection", "uncaught_exception"] as const;
export type ProcessErrorKind = (typeof PROCESS_ERROR_KINDS)[number];

export interface LiveMetrics {
  readonly registry: Registry;
  recordProcessError(kind: ProcessErrorKind): void;
  recordError(source: SourceName, reason: ErrorReason): void;
  recordApiRequest(service: string, operation: string, code: string): void;
  observePollDuration(seconds: number): void;
}

export interface LiveMetricsOptions {
  readonly sources: readonly SourceName[];
  readonly version: string;
  readonly processMetrics?: boolean;
}

export function createLiveMetrics(options: LiveMetricsOptions): LiveMetrics {
  const registry = new Registry();
  const errors = new Counter({
    name: LIVE_METRICS.errors.name,
    help: LIVE_METRICS.errors.help,
    labelNames: LIVE_METRICS.errors.labelNames,
    registers: [registry],
  });
  // Every (source, reason) pair exists from the start, so rate() and increase() work before
  // the first failure and an alert can tell "no errors" from "no data".
  for (const source of options.sources) {
    for (const reason of ERROR_REASONS) errors.inc({ source, reason }, 0);
  }
  const apiRequests = new Counter({
    name: LIVE_METRICS.apiRequests.name,
    help: LIVE_METRICS.apiRequests.help,
    labelNames: LIVE_METRICS.apiRequests.labelNames,
    registers: [registry],
  });
  const pollDuration = new Histogram({
    name: LIVE_METRICS.pollDuration.name,
    help: LIVE_METRICS.pollDuration.help,
    buckets: POLL_DURATION_BUCKETS,
    registers: [registry],
  });
  const processErrors = new Counter({
    name: LIVE_METRICS.processErrors.name,
    help: LIVE_METRICS.processErrors.help,
    labelNames: LIVE_METRICS.processErrors.labelNames,
    registers: [registry],
  });
  for (const kind of PROCESS_ERROR_KINDS) processErrors.inc({ kind }, 0);
  const buildInfo = new Gauge({
    name: LIVE_METRICS.buildInfo.name,
    help: LIVE_METRICS.buildInfo.help,
    labelNames: LIVE_METRICS.buildInfo.labelNames,
    registers: [registry],
  });
  buildInfo.set({ version: options.version, nodejs_version: process.version }, 1);

  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of EXCLUDED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }

  return {
    registry,
    recordProcessError: (kind) => {
      processErrors.inc({ kind });
    },
    recordError: (source, reason) => {
      errors.inc({ source, reason });
    },
    recordApiRequest: (service, operation, code) => {
      apiRequests.inc({ service, operation, code });
    },
    observePollDuration: (seconds) => {
      pollDuration.observe(seconds);
    },
  };
}
