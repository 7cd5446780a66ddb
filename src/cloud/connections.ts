// The cloud code's connection pools (undici Agents): one for API calls, one for CA downloads,
// whose connections resolve host names through the download allow list. The wiring opens them
// once for all targets and closes them at shutdown, so no kept-alive socket outlives the program.

import { Agent, type Dispatcher } from "undici";
import { createDownloadAgent } from "./download.js";
import type { LinkPolicy } from "./link-policy.js";

export interface CloudConnections {
  /** For CloudClientOptions.dispatcher: API hosts are the same for all targets. */
  readonly api: Dispatcher;
  /** For DownloadPolicy.agent, with the allow list given to openCloudConnections. */
  readonly downloads: Dispatcher;
  /** Aborted when the program stops (CloudClientOptions.stopSignal). */
  readonly stopSignal: AbortSignal | undefined;
  /** Closes both pools at once; a request still open is cut. Safe to call more than once. */
  close(): Promise<void>;
}

export function openCloudConnections(
  downloadPolicy: LinkPolicy,
  stopSignal?: AbortSignal,
): CloudConnections {
  const api = new Agent();
  const downloads = createDownloadAgent(downloadPolicy);
  return {
    api,
    downloads,
    stopSignal,
    // destroy(), not close(): by now every poll has ended or been aborted, so a request still
    // open belongs to a poll whose result is discarded; waiting for it would only delay exit.
    close: async () => {
      await Promise.all([api.destroy(), downloads.destroy()]);
    },
  };
}
