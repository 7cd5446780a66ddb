// The polling half of the program, shared by `serve` and `check`: the logger (with the secret
// scrubber primed from the config), the live metrics the cloud clients count into, one
// SourcePoller per target and source, and the cloud connection pools they share. Building it
// starts nothing: no timer, socket or poll. Its owner calls close() once polling has ended.

import type { DestinationStream } from "pino";
import { openCloudConnections } from "../cloud/connections.js";
import type { RetryPolicy } from "../cloud/http/retry.js";
import { secretValues, type Config, type LogLevel } from "../config/config.js";
import { createLogger, type Logger } from "../log/logger.js";
import { SecretScrubber } from "../log/scrub.js";
import { createLiveMetrics, type LiveMetrics } from "../metrics/live-metrics.js";
import { SOURCE_NAMES } from "../source-names.js";
import { VERSION } from "../version.js";
import { buildTargetSources, type TargetSource } from "../poll/target.js";
import type { SourceSnapshotBase } from "../poll/snapshot.js";
import { SOURCES } from "../sources/index.js";

export interface PollingOptions {
  readonly config: Config;
  readonly logDestination?: DestinationStream;
  /** Overrides config.logLevel (check keeps stderr quiet unless asked). */
  readonly logLevel?: LogLevel;
  readonly retry?: RetryPolicy;
  /** The owner's stop: aborted when the program stops, it ends waits for a rate-limit slot. */
  readonly signal?: AbortSignal;
  /** Unix seconds, fractional. */
  readonly now?: () => number;
}

export interface Polling {
  readonly logger: Logger;
  readonly scrubber: SecretScrubber;
  readonly metrics: LiveMetrics;
  readonly sources: readonly TargetSource[];
  readonly now: () => number;
  /** Closes the cloud connections (kept-alive sockets); nothing may poll afterwards. */
  close(): Promise<void>;
}

export function createPolling(options: PollingOptions): Polling {
  const { config } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const scrubber = new SecretScrubber();
  for (const value of secretValues(config)) scrubber.add(value);
  const logger = createLogger({
    level: options.logLevel ?? config.logLevel,
    destination: options.logDestination,
    scrubber,
  });
  const polled = SOURCE_NAMES.filter((name) =>
    config.targets.some((target) => target.sources.includes(name)),
  );
  const metrics = createLiveMetrics({ sources: polled, version: VERSION });
  const connections = openCloudConnections(config.download, options.signal);
  const targetDeps = {
    config,
    logger,
    metrics,
    scrubber,
    userAgent: `huaweicloud-cert-exporter/${VERSION}`,
    retry: options.retry,
    connections,
    now,
  };
  const sources = config.targets.flatMap((target) =>
    buildTargetSources<SourceSnapshotBase>(target, targetDeps, SOURCES),
  );
  return { logger, scrubber, metrics, sources, now, close: () => connections.close() };
}
