// Wires a validated Config into a running daemon: the polling pieces (polling.ts), metrics
// exposition, scheduler, status page and HTTP server, and takes them down again in order, down
// to the cloud connections, so that nothing is left to keep the process alive after stop().
// Everything with a side effect is injectable (logger destination, clock, retry policy) so
// tests run this same code.

import type { Logger } from "../log/logger.js";
import { MetricsExposition } from "../metrics/exposition.js";
import type { LiveMetrics } from "../metrics/live-metrics.js";
import { SnapshotRenderer } from "../metrics/snapshot-renderer.js";
import { Poller, type PollOutcome } from "../poll/poller.js";
import { PollScheduler } from "../poll/scheduler.js";
import { startHttpServer, type RunningServer } from "../server/http-server.js";
import { SOURCES } from "../sources/index.js";
import { buildStatusModel, type StatusModel } from "../status/model.js";
import { effectiveThresholds } from "../status/severity.js";
import { VERSION } from "../version.js";
import { createPolling, type Polling, type PollingOptions } from "./polling.js";

export type DaemonOptions = Omit<PollingOptions, "logLevel">;

export interface Daemon {
  readonly logger: Logger;
  readonly server: RunningServer;
  readonly poller: Poller;
  readonly metrics: LiveMetrics;
  /** Runs a poll now (skipped when one is running); resolves when it has been published. */
  pollNow(): Promise<PollOutcome>;
  /**
   * Stops polling, lets a running poll finish (or aborts it), closes the server and the cloud
   * connections.
   */
  stop(): Promise<void>;
}

/** How long shutdown waits for a running poll before aborting it. */
const POLL_GRACE_MS = 5_000;
/** How long in-flight HTTP responses may take once the server stops accepting. */
const SERVER_GRACE_MS = 2_000;

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config } = options;
  // Aborts the running poll at shutdown, and with it every wait for a rate-limit slot.
  const abort = new AbortController();
  const polling = createPolling({ ...options, signal: abort.signal });
  const { logger, metrics, sources, now } = polling;
  // One renderer for the daemon's life: it keeps the text of what did not change between polls.
  const renderer = new SnapshotRenderer(SOURCES, {
    thresholdOverrides: config.thresholdOverrides,
    storedCertificates: config.storedCertificates,
    ownerTags: config.ownerTags,
  });

  const exposition = await MetricsExposition.create(
    metrics,
    renderer.render({
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
      await exposition.publish(renderer.render(snapshot));
      ready = true;
    },
  });

  // Created once the server listens; until then (and after stop) there is no next poll.
  let scheduler: PollScheduler | null = null;
  const server = await startHttpServer({
    host: config.listen.host,
    port: config.listen.port,
    metrics: exposition,
    isReady: () => ready,
    status: () => liveStatus(config, poller, scheduler, polling),
    logger,
  }).catch(async (error: unknown) => {
    // Not listening (the port is taken): nothing else started, but the connections exist.
    await polling.close();
    throw error;
  });
  logListening(logger, server.address, config);

  const schedule = new PollScheduler({
    schedule: config.pollSchedule,
    poller,
    logger,
    signal: abort.signal,
  });
  scheduler = schedule;
  schedule.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      scheduler = null;
      await schedule.stop();
      await stopInOrder({ poller, abort, server, polling, logger });
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

/**
 * The rest of an orderly stop once no poll can start: the running poll finishes (or is aborted
 * after POLL_GRACE_MS), then the server closes, then the cloud connections, so that nothing is
 * left to keep the process alive.
 */
async function stopInOrder(parts: {
  readonly poller: Poller;
  readonly abort: AbortController;
  readonly server: RunningServer;
  readonly polling: Polling;
  readonly logger: Logger;
}): Promise<void> {
  const { poller, abort, server, polling, logger } = parts;
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
  await polling.close();
  logger.info("exporter stopped");
}

/** The status page's model of the daemon as it is now. */
function liveStatus(
  config: DaemonOptions["config"],
  poller: Poller,
  scheduler: PollScheduler | null,
  polling: Polling,
): StatusModel {
  const next = scheduler?.nextRun() ?? null;
  return buildStatusModel({
    sources: SOURCES,
    snapshot: poller.snapshot,
    version: VERSION,
    now: polling.now(),
    nextPollSeconds: next ? next.getTime() / 1000 : null,
    pollInProgress: poller.inFlight !== null,
    thresholds: (validity, resourceId) =>
      effectiveThresholds(validity, config.thresholdOverrides.get(resourceId)),
    storedCertificates: config.storedCertificates,
    redact: (text) => polling.scrubber.scrub(text),
  });
}

function logListening(logger: Logger, address: string, config: DaemonOptions["config"]): void {
  logger.info(
    {
      address,
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
}
