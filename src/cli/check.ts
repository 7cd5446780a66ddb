// `check`: one poll with the daemon's own pollers (no HTTP server, no schedule), a report on
// stdout and an exit code from verdict.ts: 2 only for what would page. By default every
// certificate is judged exactly as the status page and the alert rules judge it (severity.ts:
// the resource's override, else lifetime-relative, else absolute limits); --warn-days and
// --critical-days replace the rules' limits by fixed ones. Logs go to stderr as JSON, quiet by
// default because the report already names every failure. Ctrl-C aborts the poll and exits 130.

import type { RetryPolicy } from "../cloud/http/retry.js";
import type { Config, LogLevel } from "../config/config.js";
import { Poller } from "../poll/poller.js";
import { renderCheckJson, renderCheckReport } from "../status/check-report.js";
import { SOURCES } from "../sources/index.js";
import { buildStatusModel, type StatusModel } from "../status/model.js";
import { effectiveThresholds, fixedThresholds } from "../status/severity.js";
import { checkVerdict } from "../status/verdict.js";
import { VERSION } from "../version.js";
import { createPolling, type Polling } from "./polling.js";
import { startProgress } from "./progress.js";
import type { CliIo } from "./run.js";

/** Fixed limits in days instead of the alert rules' (--warn-days, --critical-days). */
export interface FixedDays {
  readonly warnDays: number;
  readonly criticalDays: number;
}

export interface CheckOptions {
  /** null: the alert rules' limits, as on the status page. */
  readonly fixedDays: FixedDays | null;
  /** Judge stored certificates as if in use (--include-stored). */
  readonly includeStored: boolean;
  readonly output: "table" | "json";
  readonly logLevel: LogLevel;
  readonly retry?: RetryPolicy;
}

/** The conventional exit code of a program stopped by SIGINT. */
const INTERRUPTED = 130;

export async function runCheck(
  config: Config,
  options: CheckOptions,
  io: CliIo,
  signals: Pick<NodeJS.Process, "on" | "off">,
): Promise<number> {
  const abort = new AbortController();
  const polling = createPolling({
    config,
    signal: abort.signal,
    logLevel: options.logLevel,
    logDestination: { write: (line: string) => io.stderr(line) },
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const progress = startProgress(io.stderr, io.stderrIsTty ?? false, polling.sources.length);
  const poller = new Poller({
    sources: polling.sources.map(({ initial, poller: source }) => ({
      initial,
      poller: {
        ...source,
        poll: async (previous, signal) => {
          try {
            return await source.poll(previous, signal);
          } finally {
            progress.advance(source.name);
          }
        },
      },
    })),
    logger: polling.logger,
    now: polling.now,
  });

  const onSignal = (): void => {
    abort.abort();
  };
  signals.on("SIGINT", onSignal);
  signals.on("SIGTERM", onSignal);
  let outcome;
  try {
    outcome = await poller.poll(abort.signal);
  } finally {
    signals.off("SIGINT", onSignal);
    signals.off("SIGTERM", onSignal);
    progress.stop();
    // The only poll is over: nothing may keep the process alive once the report is out.
    await polling.close();
  }
  if (outcome !== "completed") {
    io.stderr("check interrupted; no report\n");
    return INTERRUPTED;
  }

  const model = checkModel(config, options, poller.snapshot, polling);
  const verdict = checkVerdict(model);
  io.stdout(
    options.output === "json"
      ? renderCheckJson(model, verdict, options)
      : renderCheckReport(model, verdict, {
          fixedDays: options.fixedDays,
          includeStored: options.includeStored,
          colour: io.stdoutColour ?? false,
        }),
  );
  return verdict.exitCode;
}

/** The status model of the one poll, judged by the limits `check` was asked for. */
function checkModel(
  config: Config,
  options: CheckOptions,
  snapshot: Poller["snapshot"],
  polling: Polling,
): StatusModel {
  return buildStatusModel({
    sources: SOURCES,
    snapshot,
    version: VERSION,
    now: polling.now(),
    nextPollSeconds: null,
    pollInProgress: false,
    // A resource's own thresholds are the operator's word for it; then the fixed day limits
    // when asked for, else the rules' own (what the page shows and what pages).
    thresholds: (validity, resourceId) => {
      const override = config.thresholdOverrides.get(resourceId);
      const { fixedDays } = options;
      return fixedDays === null || override !== undefined
        ? effectiveThresholds(validity, override)
        : fixedThresholds(fixedDays.warnDays, fixedDays.criticalDays);
    },
    storedCertificates: config.storedCertificates,
    includeStored: options.includeStored,
    redact: (text) => polling.scrubber.scrub(text),
  });
}
