// The scheduler: a tick that lands while the start-up poll runs is skipped quietly (debug), since
// it only means the exporter started just before a tick; a tick that lands while a scheduled
// poll still runs is still a warning (the schedule is tighter than a poll). Real node-cron ticks
// every second; a source whose poll waits on a gate decides how long a poll runs.

import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log/logger.js";
import { Poller } from "../../../src/poll/poller.js";
import { PollScheduler } from "../../../src/poll/scheduler.js";
import type { SourceSnapshot } from "../../../src/sources/index.js";
import { initialCcmSnapshot } from "../../../src/sources/ccm/snapshot.js";
import { LogCapture } from "../../helpers/log-capture.js";
import { waitFor } from "../../helpers/services.js";

interface Harness {
  readonly logs: LogCapture;
  readonly polls: () => number;
  /** Lets every poll waiting on the gate finish; later polls finish at once. */
  readonly open: () => void;
  readonly scheduler: PollScheduler;
  readonly poller: Poller;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function start(gated: (poll: number) => boolean): Harness {
  const logs = new LogCapture();
  const logger = createLogger({ level: "debug", destination: logs });
  let started = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const poller = new Poller({
    sources: [
      {
        initial: initialCcmSnapshot({ region: "r", projectId: "p" }),
        poller: {
          name: "ccm",
          countResources: () => 0,
          poll: async (previous: SourceSnapshot) => {
            started += 1;
            if (gated(started)) await gate;
            return previous;
          },
        },
      },
    ],
    logger,
    now: () => Date.now() / 1000,
  });
  const abort = new AbortController();
  const scheduler = new PollScheduler({
    schedule: "* * * * * *",
    poller,
    logger,
    signal: abort.signal,
  });
  stops.push(async () => {
    release();
    await scheduler.stop();
    abort.abort();
    await poller.inFlight;
  });
  scheduler.start();
  return { logs, polls: () => started, open: release, scheduler, poller };
}

const messages = (logs: LogCapture): string[] =>
  logs.entries().map((entry) => `${String(entry["level"])} ${String(entry["msg"])}`);

describe("PollScheduler", () => {
  it("skips a tick during the start-up poll at debug, then polls on schedule", async () => {
    const harness = start((poll) => poll === 1);
    await waitFor(
      "a tick during the start-up poll",
      () =>
        Promise.resolve(
          harness.logs.withMessage("scheduled poll skipped: the start-up poll is still running")
            .length > 0
            ? true
            : undefined,
        ),
      [],
      10_000,
    );
    harness.open();
    await waitFor(
      "a scheduled poll after the start-up poll",
      () => Promise.resolve(harness.poller.snapshot.completedPolls >= 2 ? true : undefined),
      [],
      10_000,
    );
    expect(messages(harness.logs).filter((line) => !line.startsWith("debug "))).toEqual([
      "info poll finished",
      "info poll finished",
    ]);
  }, 30_000);

  it("still warns when a tick lands while a scheduled poll runs", async () => {
    const harness = start((poll) => poll === 2);
    await waitFor(
      "a tick during the second poll",
      () => Promise.resolve(harness.polls() >= 2 ? true : undefined),
      [],
      10_000,
    );
    await waitFor(
      "a warning about the overlap",
      () => Promise.resolve(harness.logs.withMessage("scheduler warning").length > 0 || undefined),
      [],
      10_000,
    );
    // node-cron's own overlap guard holds the tick back, and says so.
    expect(harness.logs.withMessage("scheduler warning")[0]).toMatchObject({
      level: "warn",
      detail: expect.stringMatching(/still running/) as unknown,
    });
  }, 30_000);
});
