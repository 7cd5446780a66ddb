// Wires a validated Config into a running daemon: logger, metrics, cloud client, pollers,
// scheduler and HTTP server, and takes them down again in order. Everything with a side effect
// is injectable (logger destination, clock, retry policy) so tests run this same code.

import type { DestinationStream } from "pino";
import type { RetryPolicy } from "../cloud/http-client.js";
import { secretValues, type Config } from "../config/config.js";
import { createLogger, type Logger } from "../log/logger.js";
import { SecretScrubber } from "../log/scrub.js";
import { MetricsExposition } from "../metrics/exposition.js";
import { createLiveMetrics, type LiveMetrics } from "../metrics/live-metrics.js";
import { renderSnapshotMetrics } from "../metrics/snapshot-metrics.js";
import { Poller, type PollOutcome } from "../poll/poller.js";
import { PollScheduler } from "../poll/scheduler.js";
import { startHttpServer, type RunningServer } from "../server/http-server.js";
import { SOURCE_NAMES } from "../sources.js";
import { VERSION } from "../version.js";
import { buildTargetSources } from "./targets.js";

export interface DaemonOptions {
  readonly config: Config;
  readonly logDestination?: DestinationStream;
  readonly retry?: RetryPolicy;
  /** Unix seconds, fractional. */
  readonly now?: () => number;
}

export interface Daemon {
  readonly logger: Logger;
  readonly server: RunningServer;
  readonly poller: Poller;
  readonly metrics: LiveMetrics;
  /** Runs a poll now (skipped when one is running); resolves when it has been published. */
  pollNow(): Promise<PollOutcome>;
  /** Stops polling, lets a running poll finish (or aborts it), closes the server. */
  stop(): Promise<void>;
}

/** How long shutdown waits for a running poll before aborting it. */
const POLL_GRACE_MS = 5_000;
/** How long in-flight HTTP responses may take once the server stops accepting. */
const SERVER_GRACE_MS = 2_000;

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const scrubber = new SecretScrubber();
  for (const value of secretValues(config)) scrubber.add(value);
  const logger = createLogger({
    level: config.logLevel,
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
  const sources = config.targets.flatMap((target) => buildTargetSources(target, targetDeps));

  const exposition = await MetricsExposition.create(
    metrics,
    await renderSnapshotMetrics({
      sources: sources.map((source) => source.initial),
      completedPolls: 0,
      lastPoll: null,
    }),
    logger,
  );
  let ready = false;
  const poller = new Poller({
    sources,
    logger,
    now,
    onPollComplete: async (snapshot, durationSeconds) => {
      metrics.observePollDuration(durationSeconds);
      await exposition.publish(await renderSnapshotMetrics(snapshot));
      ready = true;
    },
  });

  const server = await startHttpServer({
    host: config.listen.host,
    port: config.listen.port,
    metrics: exposition,
    isReady: () => ready,
    version: VERSION,
    logger,
  });
  logger.info(
    {
      address: server.address,
      version: VERSION,
      targets: config.targets.map((target) => ({
        target: target.label,
        region: target.region,
        projectId: target.projectId ?? "(from IAM)",
        sources: target.sources,
        auth: target.auth.kind,
      })),
    },
    "exporter listening",
  );

  const abort = new AbortController();
  const scheduler = new PollScheduler({
    schedule: config.pollSchedule,
    poller,
    logger,
    signal: abort.signal,
  });
  scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await scheduler.stop();
      const running = poller.inFlight;
      if (running) {
        const timer = setTimeout(() => {
          logger.warn("aborting the running poll");
          abort.abort();
        }, POLL_GRACE_MS);
        await running;
        clearTimeout(timer);
      }
      abort.abort();
      await server.close(SERVER_GRACE_MS);
      logger.info("exporter stopped");
    })();
    return stopping;
  };

  return {
    logger,
    server,
    poller,
    metrics,
    pollNow: () => poller.poll(abort.signal),
    stop,
  };
}
