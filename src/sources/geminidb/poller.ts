// One poll of the GeminiDB source: discover instances (list with offset paging, or the
// configured ids), then for each SSL instance obtain its CA download links and download and
// parse every CA file, with bounded concurrency. Each instance and each link is its own error
// boundary: a failing link keeps its last good certificates, shows as down and carries the
// failure as its problem (logged once by the problem log). Links are logged without their query
// (a credential).

import pLimit, { type LimitFunction } from "p-limit";
import type { DownloadPolicy } from "../../cloud/download.js";
import { CloudApiError } from "../../cloud/errors.js";
import { BundleCache } from "../../poll/bundle-cache.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import type { PollContext, SourcePoll } from "../../poll/poll-context.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { markFailed } from "../../poll/snapshot.js";
import { sourceReport, type SourceReport } from "../../poll/source-report.js";
import { geminiDbResources } from "./resources.js";
import { keepUnchanged } from "../../poll/unchanged.js";
import {
  listGeminiDbInstancePages,
  listGeminiDbInstances,
  type GeminiDbApiContext,
  type GeminiDbInstance,
} from "./api.js";
import { readOwnerTags } from "./instance-tags.js";
import { probeInstance, type ProbedInstance } from "./probe.js";
import { linkKey, type GeminiDbInstanceState, type GeminiDbSourceSnapshot } from "./snapshot.js";

export interface GeminiDbPollDependencies extends SourcePollDependencies {
  readonly api: Omit<GeminiDbApiContext, "signal">;
  /** null: discover every instance of the project. */
  readonly instanceIds: readonly string[] | null;
  readonly download: DownloadPolicy;
}

/** The GeminiDB poller of one target: the configured instance ids, its own bundle cache. */
export function createGeminiDbPoller(context: PollContext): SourcePoll<GeminiDbSourceSnapshot> {
  const { client, target } = context;
  const deps = { ...context, instanceIds: target.geminidb.instanceIds, bundles: new BundleCache() };
  return {
    poll: (previous, signal) =>
      pollGeminiDb(
        {
          ...deps,
          api: { client, endpoint: target.endpoints.geminidb, projectId: previous.projectId },
        },
        previous,
        signal,
      ),
  };
}

export async function pollGeminiDb(
  deps: GeminiDbPollDependencies,
  previous: GeminiDbSourceSnapshot,
  signal: AbortSignal,
): Promise<GeminiDbSourceSnapshot> {
  const attemptedAt = deps.now();
  const api: GeminiDbApiContext = { ...deps.api, signal };
  const limit = pLimit(deps.concurrency);
  const report = sourceReport(
    deps,
    { name: "geminidb", resources: geminiDbResources },
    previous.projectId,
  );
  const linkDurations = new Map<string, number>();
  const probes: Promise<ProbedInstance>[] = [];
  const startProbe = (instance: GeminiDbInstance): void => {
    const last = previous.instances.get(instance.id);
    const context = { api, deps, log: report.log, signal, linkDurations };
    const probe = limit(() => probeInstance(instance, last, context));
    // Awaited below; until then a rejection (an abort) must not count as unhandled.
    probe.catch(() => undefined);
    probes.push(probe);
  };
  try {
    await discover(api, deps, limit, report, startProbe);
  } catch (caught) {
    // Probes already started end first: none runs on past its poll.
    await Promise.allSettled(probes);
    const error = cloudFailure(caught, signal);
    report.reportApiError(error);
    deps.bundles.keepAll();
    return markFailed(previous, attemptedAt, error);
  }
  const probed = await Promise.all(probes);
  const { log, reportApiError } = report;
  const tagged = await readOwnerTags(probed, previous, api, deps, limit, log, reportApiError);
  signal.throwIfAborted();
  const next = new Map(tagged.map((state) => [state.id, state]));
  if (report.skipped() > 0) keepUnlisted(previous, next, linkDurations);
  deps.bundles.sweep();
  const polled: GeminiDbSourceSnapshot = {
    ...previous,
    up: true,
    lastSuccessSeconds: deps.now(),
    lastAttemptSeconds: attemptedAt,
    lastError: null,
    // An instance whose state did not change stays the object it was, so an unchanged source
    // keeps its map, and the metrics renderer its text.
    instances: keepUnchanged(previous.instances, next),
    linkDurations,
  };
  report.logProblems(previous, polled);
  return polled;
}

/** Starts a probe of every instance found, as the list pages (or the configured ids) arrive. */
async function discover(
  api: GeminiDbApiContext,
  deps: GeminiDbPollDependencies,
  limit: LimitFunction,
  report: SourceReport<GeminiDbSourceSnapshot>,
  startProbe: (instance: GeminiDbInstance) => void,
): Promise<void> {
  if (deps.instanceIds === null) {
    // Probes start as each page arrives, so link calls overlap the rest of the listing.
    for await (const page of listGeminiDbInstancePages(api, report.onShapeProblem)) {
      for (const instance of page) startProbe(instance);
    }
    return;
  }
  const { onShapeProblem, reportApiError } = report;
  const found = await findConfigured(api, deps.instanceIds, limit, onShapeProblem, reportApiError);
  for (const instance of found) startProbe(instance);
}

/**
 * An entry that could not be read is not a deleted instance: while any was skipped, every known
 * instance the list did not name keeps its last good state (else it silently vanished), and
 * its links their last durations.
 */
function keepUnlisted(
  previous: GeminiDbSourceSnapshot,
  next: Map<string, GeminiDbInstanceState>,
  linkDurations: Map<string, number>,
): void {
  for (const [id, state] of previous.instances) {
    if (next.has(id)) continue;
    next.set(id, state);
    for (const link of state.links) {
      const key = linkKey(id, link.category);
      const duration = previous.linkDurations.get(key);
      if (duration !== undefined) linkDurations.set(key, duration);
    }
  }
}

/**
 * Looks up each configured instance through the list API's id filter. An id the API does not
 * know is reported (not_found) and left out; any other failure fails discovery, so the last
 * good state is kept.
 */
async function findConfigured(
  api: GeminiDbApiContext,
  ids: readonly string[],
  limit: LimitFunction,
  onShapeProblem: (problem: { operation: string; detail: string }) => void,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
): Promise<GeminiDbInstance[]> {
  const found = await Promise.all(
    ids.map((id) =>
      limit(async () => {
        const matches = await listGeminiDbInstances(api, onShapeProblem, id);
        const instance = matches.find((candidate) => candidate.id === id);
        if (!instance) {
          reportApiError(
            new CloudApiError({
              service: "geminidb",
              operation: "list_instances",
              status: 200,
              reason: "not_found",
              errorCode: null,
              requestId: null,
              detail: "no instance with this id",
            }),
            { instanceId: id },
          );
        }
        return instance;
      }),
    ),
  );
  return found.filter((instance) => instance !== undefined);
}
