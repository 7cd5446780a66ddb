#!/usr/bin/env node
// Entry point. reflect-metadata must load before @peculiar/x509 (its DI container needs it).
import "reflect-metadata";
import { run } from "./cli/run.js";

const exitCode = await run(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY,
  // https://no-color.org: any non-empty NO_COLOR turns colours off.
  stdoutColour: process.stdout.isTTY && !process.env["NO_COLOR"],
});
process.exitCode = exitCode;
// Anything still holding the event loop (an idle socket, a late timer) must not keep a stopped
// daemon alive.
setTimeout(() => process.exit(exitCode), 1_000).unref();
