// Runs poll cycles: every source polled concurrently, each inside its own error boundary, the
// new snapshot published only when all have finished. Guarantees that polls never overlap (a
// trigger during a running poll is skipped and logged) and that a failing source keeps its last
// good data. It does not schedule: scheduler.ts decides when.

import type { Logger } from "../log/logger.js";
import type { ErrorReason } from "../reasons.js";
import type { BundleCache } from "./bundle-cache.js";
import type { PollSummary, Snapshot, SourceSnapshotBase } from "./snapshot.js";

/** What every source's poll function needs besides its API context. */
export interface SourcePollDependencies {
  /** Most resources worked on at once. */
  readonly concurrency: number;
  /** This source's own cache of parsed certificates. */
  readonly bundles: BundleCache;
  readonly logger: Logger;
  /** Counts a failure of this source in hwcert_errors_total. */
  readonly recordError: (reason: ErrorReason) => void;
  /** Unix seconds. */
  readonly now: () => number;
  /** Tag keys to read for ownership labels (HWCERT_OWNER_TAGS); empty: read none. */
  readonly ownerTagKeys: readonly string[];
}

/** Polls one source: previous snapshot in, next snapshot out. May throw only on abort. */
export interface SourcePoller<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: string;
  poll(previous: S, signal: AbortSignal): Promise<S>;
  /** How many resources (certificates, instances) a snapshot of this source holds. */
  countResources(snapshot: S): number;
}

export interface PollerOptions {
  readonly sources: readonly {
    readonly poller: SourcePoller;
    readonly initial: SourceSnapshotBase;
  }[];
  readonly logger: Logger;
  /** Unix seconds, fractional. */
  readonly now: () => number;
  /**
   * Called after every completed poll with the new snapshot and its wall time; the poll counts
   * as finished when the returned promise settles (so readiness follows publication).
   */
  readonly onPollComplete?: (snapshot: Snapshot, durationSeconds: number) => Promise<void>;
  /** Called when a source poller failed in a way it should not (a programming error). */
  readonly onUnexpectedError?: (sourceName: string) => void;
}

export type PollOutcome = "completed" | "skipped" | "aborted";

export class Poller {
  readonly #options: PollerOptions;
  #snapshot: Snapshot;
  #inFlight: Promise<PollOutcome> | null = null;

  constructor(options: PollerOptions) {
    this.#options = options;
    this.#snapshot = {
      sources: options.sources.map((source) => source.initial),
      completedPolls: 0,
      lastPoll: null,
    };
  }

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** The running poll, if any (shutdown waits for it). */
  get inFlight(): Promise<PollOutcome> | null {
    return this.#inFlight;
  }

  /** Runs one poll unless one is already running. Never rejects. */
  poll(signal: AbortSignal): Promise<PollOutcome> {
    if (this.#inFlight) {
      this.#options.logger.warn("poll skipped: the previous poll is still running");
      return Promise.resolve("skipped");
    }
    const running = this.#run(signal).finally(() => {
      this.#inFlight = null;
    });
    this.#inFlight = running;
    return running;
  }

  async #run(signal: AbortSignal): Promise<PollOutcome> {
    const { logger, now } = this.#options;
    const startedAt = now();
    logger.debug("poll started");
    const previous = this.#snapshot.sources;
    const results = await Promise.allSettled(
      this.#options.sources.map(({ poller }, index) => {
        const last = previous[index];
        if (!last) throw new Error(`no snapshot for source ${poller.name}`);
        return poller.poll(last, signal);
      }),
    );
    if (signal.aborted) {
      logger.info("poll aborted by shutdown");
      return "aborted";
    }
    const sources = results.map((result, index): SourceSnapshotBase => {
      const last = previous[index] as SourceSnapshotBase;
      if (result.status === "fulfilled") return result.value;
      const name = this.#options.sources[index]?.poller.name ?? "unknown";
      this.#options.onUnexpectedError?.(name);
      logger.error({ source: name, err: result.reason }, "source poll failed unexpectedly");
      return { ...last, up: false, lastAttemptSeconds: startedAt };
    });
    const finishedAt = now();
    const lastPoll: PollSummary = { startedAtSeconds: startedAt, finishedAtSeconds: finishedAt };
    this.#snapshot = { sources, completedPolls: this.#snapshot.completedPolls + 1, lastPoll };
    const durationSeconds = finishedAt - startedAt;
    logger.info(
      {
        durationSeconds: Math.round(durationSeconds * 1000) / 1000,
        sources: sources.map((s, index) => ({
          source: s.source,
          up: s.up,
          resources: this.#options.sources[index]?.poller.countResources(s) ?? 0,
        })),
      },
      "poll finished",
    );
    try {
      await this.#options.onPollComplete?.(this.#snapshot, durationSeconds);
    } catch (error) {
      logger.error({ err: error }, "publishing the poll results failed");
    }
    return "completed";
  }
}
