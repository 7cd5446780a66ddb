// Debian's Chromium, headless, driven by playwright-core (no browser is ever downloaded): the
// status page's browser test and the documentation's screenshot both start it this way. The
// flags keep it off the network this machine does not have (background updates, sync, QUIC).

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const haveChromium = existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
