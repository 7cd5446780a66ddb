// Real Prometheus-ecosystem binaries as child processes of a test: start one with its output
// kept for failure messages, wait for it to be ready, stop it (SIGTERM, then SIGKILL). Tests pass
// every address and storage path explicitly (127.0.0.1, a free port, a temporary directory).

import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A child process with its output (stdout and stderr, the last 20,000 characters) kept. */
export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

export function startService(name: string, binary: string, args: readonly string[]): Service {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return { name, child, output: () => output };
}

export async function stopService(service: Service | undefined): Promise<void> {
  if (service === undefined || service.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => service.child.once("exit", () => resolve()));
  service.child.kill("SIGTERM");
  const timer = setTimeout(() => service.child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A port free on 127.0.0.1 right now (the binaries take no port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a value. Fails at once when a service exits, and with every
 * service's output on timeout; the default is generous because a busy 2-core machine is slow,
 * never wrong, so only a result that never comes should fail.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  services: readonly Service[],
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const service of services) {
      if (service.child.exitCode !== null) {
        throw new Error(`${service.name} exited (${service.child.exitCode}):\n${service.output()}`);
      }
    }
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logs = services.map((s) => `--- ${s.name}\n${s.output()}`).join("\n");
      throw new Error(`timed out waiting for ${what}\n${logs}`);
    }
    await sleep(200);
  }
}

/** Prometheus's and Alertmanager's readiness endpoint. */
export async function isReady(baseUrl: string): Promise<true | undefined> {
  const response = await fetch(`${baseUrl}/-/ready`);
  return response.ok ? true : undefined;
}

/**
 * One logfmt line (`key=value key="quoted \"value\""`) as a record; what the Go kit and slog
 * loggers of Prometheus and Alertmanager print by default.
 */
export function parseLogfmt(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const pattern = /([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
  for (const match of line.matchAll(pattern)) {
    const [, key, quoted, bare] = match;
    if (key === undefined) continue;
    fields[key] = quoted === undefined ? (bare ?? "") : quoted.replace(/\\(.)/g, "$1");
  }
  return fields;
}
