import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { installProcessGuards } from "../../../src/cli/process-guards.js";
import { createLogger } from "../../../src/log/logger.js";
import { createLiveMetrics } from "../../../src/metrics/live-metrics.js";
import { LogCapture } from "../../helpers/log-capture.js";
import { parseMetrics, valueOf } from "../../helpers/metrics-text.js";

describe("process guards", () => {
  it("log and count unhandled rejections and uncaught exceptions instead of dying", async () => {
    const events = new EventEmitter();
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", destination: logs });
    const metrics = createLiveMetrics({ sources: ["elb"], version: "test", processMetrics: false });
    const remove = installProcessGuards(events as unknown as NodeJS.Process, logger, metrics);

    const samples = async () => parseMetrics(await metrics.registry.metrics());
    expect(
      valueOf(await samples(), "hwcert_process_errors_total", { kind: "unhandled_rejection" }),
    ).toBe(0);

    events.emit("unhandledRejection", new Error("a promise nobody awaited"));
    events.emit("uncaughtException", new TypeError("x is undefined"));
    events.emit("uncaughtException", "a string thrown");

    const after = await samples();
    expect(valueOf(after, "hwcert_process_errors_total", { kind: "unhandled_rejection" })).toBe(1);
    expect(valueOf(after, "hwcert_process_errors_total", { kind: "uncaught_exception" })).toBe(2);
    const entries = logs.withMessage("unexpected error; the exporter keeps running");
    expect(entries.map((entry) => entry["kind"])).toEqual([
      "unhandled_rejection",
      "uncaught_exception",
      "uncaught_exception",
    ]);
    expect(entries[1]).toMatchObject({ err: { type: "TypeError", message: "x is undefined" } });

    remove();
    expect(events.listenerCount("unhandledRejection")).toBe(0);
    expect(events.listenerCount("uncaughtException")).toBe(0);
  });
});
