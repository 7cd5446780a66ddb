// Triggers polls on the configured cron schedule (evaluated in UTC, so the container's TZ does
// not move it) and once immediately at start-up. Overlap is prevented twice: node-cron's
// noOverlap and the Poller's own in-flight guard (which warns: the schedule is tighter than a
// poll). A tick that lands during the start-up poll is skipped here, quietly: it says nothing
// about the schedule, only that the exporter started just before a tick.

import { createTask, type Logger as CronLogger, type ScheduledTask } from "node-cron";
import type { Logger } from "../log/logger.js";
import type { Poller } from "./poller.js";

export interface SchedulerOptions {
  readonly schedule: string;
  readonly poller: Poller;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export class PollScheduler {
  readonly #options: SchedulerOptions;
  readonly #task: ScheduledTask;
  /** The start-up poll while it runs. */
  #startup: Promise<unknown> | null = null;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#task = createTask(options.schedule, () => this.#tick(), {
      name: "poll",
      timezone: "UTC",
      noOverlap: true,
      logger: cronLogger(options.logger),
    });
  }

  /** Starts the schedule and runs the first poll now. */
  start(): void {
    void this.#task.start();
    const startup = this.#trigger().finally(() => {
      this.#startup = null;
    });
    this.#startup = startup;
  }

  /** The next scheduled poll, or null when stopped. */
  nextRun(): Date | null {
    return this.#task.getNextRun();
  }

  async stop(): Promise<void> {
    await this.#task.stop();
    await this.#task.destroy();
  }

  #tick(): Promise<unknown> {
    if (this.#startup !== null) {
      // Resolved at once, so node-cron's own overlap guard (which warns) stays out of it.
      this.#options.logger.debug("scheduled poll skipped: the start-up poll is still running");
      return Promise.resolve();
    }
    return this.#trigger();
  }

  #trigger(): Promise<unknown> {
    if (this.#options.signal.aborted) return Promise.resolve();
    return this.#options.poller.poll(this.#options.signal);
  }
}

function cronLogger(logger: Logger): CronLogger {
  const child = logger.child({ component: "scheduler" });
  return {
    info: (message: string) => child.debug({ detail: message }, "scheduler event"),
    warn: (message: string) => child.warn({ detail: message }, "scheduler warning"),
    error: (message: string | Error) =>
      child.error(
        { detail: typeof message === "string" ? message : message.message },
        "scheduler error",
      ),
    debug: (message: string | Error) =>
      child.debug(
        { detail: typeof message === "string" ? message : message.message },
        "scheduler event",
      ),
  };
}
