// The polling half of the program, shared by `serve` and `check`: the logger (with the secret
// scrubber primed from the config), the live metrics the cloud clients count into, and one
// SourcePoller per target and source. Building it starts nothing: no timer, socket or poll.

import type { DestinationStream } from "pino";
import type { RetryPolicy } from "../cloud/http-client.js";
import { secretValues, type Config, type LogLevel } from "../config/config.js";
import { createLogger, type Logger } from "../log/logger.js";
import { SecretScrubber } from "../log/scrub.js";
import { createLiveMetrics, type LiveMetrics } from "../metrics/live-metrics.js";
import { SOURCE_NAMES } from "../source-names.js";
import { VERSION } from "../version.js";
import { buildTargetSources, type TargetSource } from "../poll/target.js";
import type { SourceSnapshot } from "../poll/snapshot.js";
import { SOURCES } from "../sources/index.js";

export interface PollingOptions {
  readonly config: Config;
  readonly logDestination?: DestinationStream;
  /** Overrides config.logLevel (check keeps stderr quiet unless asked). */
  readonly logLevel?: LogLevel;
  readonly retry?: RetryPolicy;
  /** Unix seconds, fractional. */
  readonly now?: () => number;
}

export interface Polling {
  readonly logger: Logger;
  readonly scrubber: SecretScrubber;
  readonly metrics: LiveMetrics;
  readonly sources: readonly TargetSource<SourceSnapshot>[];
  readonly now: () => number;
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
  const targetDeps = {
    config,
    logger,
    metrics,
    scrubber,
    userAgent: `huaweicloud-cert-exporter/${VERSION}`,
    retry: options.retry,
    now,
  };
  const sources = config.targets.flatMap((target) =>
    buildTargetSources<SourceSnapshot>(target, targetDeps, SOURCES),
  );
  return { logger, scrubber, metrics, sources, now };
}
