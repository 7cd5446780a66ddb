// Keeps a programming error from ending the daemon: an unhandled promise rejection or an
// uncaught exception is logged (through the scrubbing logger, reduced to safe fields) and
// counted in hwcert_process_errors_total, and the daemon keeps serving its last good data.
// A monitoring daemon that dies on one bad code path pages nobody.

import type { Logger } from "../log/logger.js";
import type { LiveMetrics, ProcessErrorKind } from "../metrics/live-metrics.js";

export type ProcessEvents = Pick<NodeJS.Process, "on" | "off">;

/** Installs the guards; the returned function removes them. */
export function installProcessGuards(
  events: ProcessEvents,
  logger: Logger,
  metrics: Pick<LiveMetrics, "recordProcessError">,
): () => void {
  const record = (kind: ProcessErrorKind, error: unknown): void => {
    metrics.recordProcessError(kind);
    logger.error({ kind, err: error }, "unexpected error; the exporter keeps running");
  };
  const onRejection = (reason: unknown): void => {
    record("unhandled_rejection", reason);
  };
  const onException = (error: Error): void => {
    record("uncaught_exception", error);
  };
  events.on("unhandledRejection", onRejection);
  events.on("uncaughtException", onException);
  return () => {
    events.off("unhandledRejection", onRejection);
    events.off("uncaughtException", onException);
  };
}
