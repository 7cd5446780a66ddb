// Runs the built exporter (`node dist/main.js`, what `npm start` runs) as a child process, for
// tests of exit codes, signals, the environment and time zones.

import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = `${PROJECT_ROOT}dist/main.js`;

export interface ExporterProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Resolves with the listen address once the daemon logged it. */
  readonly listening: Promise<string>;
}

export function spawnExporter(
  env: Record<string, string>,
  /** `nodeArgs` go to node itself, before the script (e.g. `--import` of a preload). */
  options: { cwd?: string; args?: string[]; nodeArgs?: string[] } = {},
): ExporterProcess {
  const argv = [...(options.nodeArgs ?? []), MAIN, ...(options.args ?? [])];
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /"msg":"exporter listening"/.test(stdout)
        ? /"address":"([^"]+)"/.exec(stdout)
        : null;
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", () => {
      reject(new Error(`exporter exited before listening:\n${stdout}\n${stderr}`));
    });
  });
  listening.catch(() => undefined);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve(code ?? signal ?? -1);
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited, listening };
}
