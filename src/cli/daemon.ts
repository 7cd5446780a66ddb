// Wires a validated Config into a running daemon: logger, metrics, cloud client, pollers,
// scheduler and HTTP server, and takes them down again in order. Everything with a side effect
// is injectable (logger destination, clock, retry policy) so tests run this same code.

import type { DestinationStream } from "pino";
import { createTokenAuthenticator } from "../cloud/auth.js";
import { createCloudClient, type RetryPolicy } from "../cloud/http-client.js";
import type { Config } from "../config/config.js";
import { createLogger, type Logger } from "../log/logger.js";
import { SecretScrubber } from "../log/scrub.js";
import { MetricsExposition } from "../metrics/exposition.js";
import { createLiveMetrics, type LiveMetrics } from "../metrics/live-metrics.js";
import { renderSnapshotMetrics } from "../metrics/snapshot-metrics.js";
import { BundleCache } from "../poll/bundle-cache.js";
import { pollElb } from "../poll/elb-poller.js";
import { pollGeminiDb } from "../poll/geminidb-poller.js";
import { Poller, type PollOutcome, type SourcePoller } from "../poll/poller.js";
import { PollScheduler } from "../poll/scheduler.js";
import {
  initialElbSnapshot,
  initialGeminiDbSnapshot,
  type SourceSnapshot,
} from "../poll/snapshot.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../sources.js";
import { startHttpServer, type RunningServer } from "../server/http-server.js";
import { VERSION } from "../version.js";

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
  scrubber.add(config.auth.token.reveal());
  const logger = createLogger({
    level: config.logLevel,
    destination: options.logDestination,
    scrubber,
  });

  const metrics = createLiveMetrics({ sources: config.sources, version: VERSION });
  const userAgent = `huaweicloud-cert-exporter/${VERSION}`;
  const client = createCloudClient({
    timeoutMs: config.httpTimeoutMs,
    authenticator: createTokenAuthenticator(config.auth.token),
    userAgent,
    retry: options.retry,
    onAttempt: (attempt) => {
      metrics.recordApiRequest(attempt.service, attempt.operation, attempt.code);
    },
    onRetry: (retry) => {
      logger.debug(
        { attempt: retry.attempt, ...retry.error.toLogFields() },
        "retrying API request",
      );
    },
  });
  const recordErrorFor =
    (source: SourceName) =>
    (reason: ErrorReason): void => {
      metrics.recordError(source, reason);
    };
  const key = { region: config.region, projectId: config.projectId };

  const sources = config.sources.map((name): { poller: SourcePoller; initial: SourceSnapshot } => {
    if (name === "elb") {
      const deps = {
        api: { client, endpoint: config.endpoints.elb, projectId: config.projectId },
        certificateIds: config.elb.certificateIds,
        concurrency: config.concurrency,
        bundles: new BundleCache(),
        logger,
        recordError: recordErrorFor("elb"),
        now,
      };
      return {
        initial: initialElbSnapshot(key),
        poller: {
          name,
          poll: (previous, signal) =>
            previous.source === "elb"
              ? pollElb(deps, previous, signal)
              : Promise.reject(new Error("ELB poller given another source's snapshot")),
        },
      };
    }
    const deps = {
      api: { client, endpoint: config.endpoints.geminidb, projectId: config.projectId },
      instanceIds: config.geminidb.instanceIds,
      download: { ...config.download, timeoutMs: config.httpTimeoutMs, userAgent },
      concurrency: config.concurrency,
      bundles: new BundleCache(),
      logger,
      recordError: recordErrorFor("geminidb"),
      now,
    };
    return {
      initial: initialGeminiDbSnapshot(key),
      poller: {
        name,
        poll: (previous, signal) =>
          previous.source === "geminidb"
            ? pollGeminiDb(deps, previous, signal)
            : Promise.reject(new Error("GeminiDB poller given another source's snapshot")),
      },
    };
  });

  const exposition = new MetricsExposition(
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
      exposition.publish(await renderSnapshotMetrics(snapshot));
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
      region: config.region,
      projectId: config.projectId,
      version: VERSION,
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
