// `npm run docs:demo`: regenerates what the documentation shows of the demo, from the demo
// itself: the status page screenshot (docs/status-page.png, in Debian's headless Chromium) and
// the `check` example in docs/usage.md (between its demo-check markers). Both come from one
// seeded simulator and the real CLI, so the pictures and the text can only show what the
// product does. test/integration/demo-docs.test.ts checks the committed example against a
// fresh run.

import "reflect-metadata";
import { EventEmitter } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { run } from "../src/cli/run.js";
import { demoEnvironment, seedDemoScenario, startSimulator } from "../src/simulator/index.js";
import { launchChromium } from "../test/helpers/chromium.js";
import { freePort } from "../test/helpers/services.js";

const ROOT = new URL("../../", import.meta.url);
const SCREENSHOT = new URL("docs/status-page.png", ROOT);
const USAGE = new URL("docs/usage.md", ROOT);
export const CHECK_BEGIN = "<!-- demo-check:begin (npm run docs:demo writes this block) -->";
export const CHECK_END = "<!-- demo-check:end -->";

/** Signals the script raises itself: SIGTERM ends `serve` as Ctrl-C would. */
class Signals extends EventEmitter {
  asProcess(): Pick<NodeJS.Process, "on" | "off"> {
    // run() only adds and removes listeners; an EventEmitter does both.
    return this as unknown as Pick<NodeJS.Process, "on" | "off">;
  }
}

/** What `npm run demo -- check` prints, without colours. */
async function checkOutput(environment: Record<string, string>): Promise<[string, number]> {
  let stdout = "";
  const exitCode = await run(
    ["check"],
    environment,
    { stdout: (text) => (stdout += text), stderr: () => undefined },
    new Signals().asProcess(),
    { envFile: null },
  );
  return [stdout, exitCode];
}

async function screenshot(environment: Record<string, string>): Promise<void> {
  const listen = `127.0.0.1:${String(await freePort())}`;
  const signals = new Signals();
  const serving = run(
    ["serve"],
    { ...environment, HWCERT_LISTEN_ADDRESS: listen, HWCERT_LOG_LEVEL: "error" },
    { stdout: () => undefined, stderr: (text) => process.stderr.write(text) },
    signals.asProcess(),
    { envFile: null },
  );
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`http://${listen}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error("the demo exporter was not ready in 30 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`http://${listen}/`);
      await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    } finally {
      await browser.close();
    }
  } finally {
    signals.emit("SIGTERM");
    await serving;
  }
}

function replaceCheckExample(output: string, exitCode: number): void {
  const usage = readFileSync(USAGE, "utf8");
  const begin = usage.indexOf(CHECK_BEGIN);
  const end = usage.indexOf(CHECK_END);
  if (begin < 0 || end < begin) throw new Error(`docs/usage.md has no ${CHECK_BEGIN} block`);
  const block = [
    CHECK_BEGIN,
    "",
    "```console",
    "$ npm run demo -- check",
    output.trimEnd(),
    "$ echo $?",
    String(exitCode),
    "```",
    "",
    "",
  ].join("\n");
  writeFileSync(USAGE, usage.slice(0, begin) + block + usage.slice(end));
}

const sim = await startSimulator();
try {
  await seedDemoScenario(sim, Date.now());
  const environment = demoEnvironment(sim);
  const [output, exitCode] = await checkOutput(environment);
  replaceCheckExample(output, exitCode);
  await screenshot(environment);
  process.stdout.write(`wrote ${SCREENSHOT.pathname} and the check example in ${USAGE.pathname}\n`);
} finally {
  await sim.close();
}
