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
// No process.exit(): run() has closed every server, timer and connection it opened, so Node
// exits by itself once the output is flushed (test/integration/process.test.ts holds it to that).
process.exitCode = exitCode;
