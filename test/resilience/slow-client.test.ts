// A slow client cannot pin the exporter's HTTP server. The server's own timeouts are read from
// the live node:http server (found among the process's active handles, since the daemon does
// not expose it) and must bound how long headers and a whole request may take; 100 clients
// that dribble header bytes must not keep /healthz or /metrics from answering; and, when
// HWCERT_SLOW_TESTS=1, a real byte-by-byte client is cut off (Node checks these timeouts every
// 30 seconds, hence the opt-in: the check takes up to 40 s).

import { Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";

let sim: Simulator;
let exporter: TestDaemon;
let server: Server;

beforeAll(async () => {
  sim = await startSimulator();
  exporter = await startTestDaemon(sim);
  await exporter.waitForPolls(1);
  // Undocumented but long-standing: the listening servers are among the active handles.
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const found = handles.find(
    (handle): handle is Server =>
      handle instanceof Server &&
      (handle.address() as { port?: number } | null)?.port === exporter.daemon.server.port,
  );
  if (found === undefined) throw new Error("the exporter's HTTP server was not found");
  server = found;
});

afterAll(async () => {
  await exporter.stop();
  await sim.close();
});

/** Opens a connection that sends one byte of a request's headers every `intervalMs`. */
function dribble(port: number, intervalMs: number): { socket: Socket; stop(): void } {
  const socket = connect(port, "127.0.0.1");
  const request = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(10_000);
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= request.length) return;
    socket.write(request[at++]!);
  }, intervalMs);
  socket.on("error", () => undefined);
  return {
    socket,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

describe("the HTTP server and slow clients", () => {
  it("bounds the time for headers and for a whole request", () => {
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeLessThanOrEqual(60_000);
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeLessThanOrEqual(120_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
    expect(server.keepAliveTimeout).toBeLessThanOrEqual(60_000);
    expect(server.maxHeadersCount).toBeGreaterThan(0);
    expect(server.maxHeadersCount).toBeLessThanOrEqual(1000);
  });

  it("keeps answering while 100 clients dribble their headers", async () => {
    const slow = Array.from({ length: 100 }, () => dribble(exporter.daemon.server.port, 50));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const path of ["/healthz", "/metrics", "/"]) {
        const started = performance.now();
        const response = await fetch(`${exporter.baseUrl}${path}`, {
          signal: AbortSignal.timeout(5_000),
        });
        expect(response.status, path).toBe(200);
        await response.arrayBuffer();
        expect(performance.now() - started, path).toBeLessThan(5_000);
      }
      expect(slow.every((client) => !client.socket.destroyed)).toBe(true);
    } finally {
      for (const client of slow) client.stop();
    }
  });

  it.runIf(process.env["HWCERT_SLOW_TESTS"] === "1")(
    "cuts off a client that sends its headers byte by byte",
    async () => {
      const slow = dribble(exporter.daemon.server.port, 200);
      const started = performance.now();
      const closed = await new Promise<boolean>((resolve) => {
        slow.socket.once("close", () => {
          resolve(true);
        });
        setTimeout(() => {
          resolve(false);
        }, server.headersTimeout + 35_000);
      });
      slow.stop();
      expect(closed).toBe(true);
      // Within the headers timeout plus Node's 30 s checking interval.
      expect(performance.now() - started).toBeLessThan(server.headersTimeout + 31_000);
    },
    90_000,
  );
});
