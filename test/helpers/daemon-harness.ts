// Starts the real daemon in-process against the simulator, with logs captured in memory and
// fast retries, and offers scrape helpers. The daemon's HTTP server and the simulator are real
// sockets on 127.0.0.1.

import { startDaemon, type Daemon } from "../../src/cli/daemon.js";
import { loadConfig, type Environment } from "../../src/config/load-config.js";
import { exporterEnvironment, type Simulator } from "../../src/simulator/index.js";
import { LogCapture } from "./log-capture.js";
import { parseMetrics, type Sample } from "./metrics-text.js";

export interface TestDaemon {
  readonly daemon: Daemon;
  readonly logs: LogCapture;
  readonly baseUrl: string;
  scrape(): Promise<Sample[]>;
  scrapeText(): Promise<string>;
  /** Waits until `count` polls have completed since start-up. */
  waitForPolls(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Environment pointing the daemon at the simulator; tests add or override settings. */
export function simulatorEnvironment(sim: Simulator): Environment {
  return {
    ...exporterEnvironment(sim),
    HWCERT_LISTEN_ADDRESS: "127.0.0.1:0",
    // Only the start-up poll runs by itself; tests trigger the rest with pollNow().
    HWCERT_POLL_SCHEDULE: "0 0 1 1 *",
    HWCERT_HTTP_TIMEOUT_SECONDS: "2",
    HWCERT_LOG_LEVEL: "debug",
  };
}

export async function startTestDaemon(
  sim: Simulator,
  overrides: Environment = {},
  files: Readonly<Record<string, string>> = {},
): Promise<TestDaemon> {
  // undefined in overrides removes a setting of the simulator environment.
  const environment = Object.fromEntries(
    Object.entries({ ...simulatorEnvironment(sim), ...overrides }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const readFile = (path: string): string => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(path), { code: "ENOENT" });
    return content;
  };
  const result = loadConfig(environment, { readSecretFile: readFile, readConfigFile: readFile });
  if (!result.ok) throw new Error(`test configuration invalid:\n${result.errors.join("\n")}`);
  const logs = new LogCapture();
  const daemon = await startDaemon({
    config: result.config,
    logDestination: logs,
    retry: { limit: 2, baseDelayMs: 20, backoffLimitMs: 50, maxRetryAfterMs: 5_000 },
  });
  const baseUrl = `http://${daemon.server.address}`;
  const scrapeText = async (): Promise<string> => {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    return response.text();
  };
  return {
    daemon,
    logs,
    baseUrl,
    scrapeText,
    scrape: async () => parseMetrics(await scrapeText()),
    waitForPolls: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (daemon.poller.snapshot.completedPolls < count || daemon.poller.inFlight) {
        if (Date.now() > deadline) throw new Error(`fewer than ${count} polls completed in time`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => daemon.stop(),
  };
}
