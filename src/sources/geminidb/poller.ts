// One poll of the GeminiDB source: discover instances (list with offset paging, or the
// configured ids), then for each SSL instance obtain its CA download links and download and
// parse every CA file, with bounded concurrency. Each instance and each link is its own error
// boundary: a failing link keeps its last good certificates, shows as down and carries the
// failure as its problem (logged once by the problem log). Links are logged without their query
// (a credential).

import pLimit from "p-limit";
import type { ParsedBundle } from "../../certs/types.js";
import { downloadFile, type DownloadPolicy } from "../../cloud/download.js";
import { CloudApiError } from "../../cloud/errors.js";
import {
  listGeminiDbInstancePages,
  listGeminiDbInstanceTags,
  listGeminiDbInstances,
  showSslCertDownloadLinks,
  type GeminiDbApiContext,
  type GeminiDbInstance,
} from "./api.js";
import type { Logger } from "../../log/logger.js";
import { describeUrl } from "../../log/scrub.js";
import type { ErrorReason } from "../../reasons.js";
import { pickOwnerTags, TAGS_REFRESH_SECONDS } from "../../poll/owner-tags.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { quoteIssues, readableCount } from "../../poll/resource-problems.js";
import { sourceReport } from "../../poll/source-report.js";
import { keepIfUnchanged, markFailed } from "../../poll/snapshot.js";
import {
  linkKey,
  sameInstanceState,
  type CaLinkState,
  type GeminiDbInstanceState,
  type GeminiDbSourceSnapshot,
} from "./snapshot.js";

export interface GeminiDbPollDependencies extends SourcePollDependencies {
  readonly api: Omit<GeminiDbApiContext, "signal">;
  /** null: discover every instance of the project. */
  readonly instanceIds: readonly string[] | null;
  readonly download: DownloadPolicy;
}

export async function pollGeminiDb(
  deps: GeminiDbPollDependencies,
  previous: GeminiDbSourceSnapshot,
  signal: AbortSignal,
): Promise<GeminiDbSourceSnapshot> {
  const attemptedAt = deps.now();
  const api: GeminiDbApiContext = { ...deps.api, signal };
  const limit = pLimit(deps.concurrency);
  const { log, reportApiError, onShapeProblem, skipped, logProblems } = sourceReport(
    deps,
    "geminidb",
    "GeminiDB",
    previous.projectId,
  );

  const linkDurations = new Map<string, number>();
  const probes: Promise<ProbedInstance>[] = [];
  const startProbe = (instance: GeminiDbInstance): void => {
    const probe = limit(() =>
      probeInstance(instance, previous.instances.get(instance.id), {
        api,
        deps,
        log,
        signal,
        linkDurations,
      }),
    );
    // Awaited below; until then a rejection (an abort) must not count as unhandled.
    probe.catch(() => undefined);
    probes.push(probe);
  };
  try {
    if (deps.instanceIds === null) {
      // Probes start as each page arrives, so link calls overlap the rest of the listing.
      for await (const page of listGeminiDbInstancePages(api, onShapeProblem)) {
        for (const instance of page) startProbe(instance);
      }
    } else {
      const found = await findConfigured(
        api,
        deps.instanceIds,
        limit,
        onShapeProblem,
        reportApiError,
      );
      for (const instance of found) startProbe(instance);
    }
  } catch (error) {
    // Probes already started end first: none runs on past its poll.
    await Promise.allSettled(probes);
    signal.throwIfAborted();
    if (!(error instanceof CloudApiError)) throw error;
    reportApiError(error);
    deps.bundles.keepAll();
    return markFailed(previous, attemptedAt, error);
  }
  const states = await Promise.all(probes);
  const tagged = await readOwnerTags(states, previous, api, deps, limit, log, reportApiError);
  signal.throwIfAborted();
  // An instance whose state did not change stays the object it was, so an unchanged source
  // keeps its map, and the metrics renderer its text (see keepIfUnchanged).
  const next = new Map(
    tagged.map((state) => {
      const last = previous.instances.get(state.id);
      return [state.id, last !== undefined && sameInstanceState(last, state) ? last : state];
    }),
  );
  // An entry that could not be read is not a deleted instance: while any was skipped, every
  // known instance the list did not name keeps its last good state (else it silently vanished).
  if (skipped() > 0) {
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
  deps.bundles.sweep();
  const polled: GeminiDbSourceSnapshot = {
    ...previous,
    up: true,
    lastSuccessSeconds: deps.now(),
    lastAttemptSeconds: attemptedAt,
    lastError: null,
    instances: keepIfUnchanged(previous.instances, next),
    linkDurations,
  };
  logProblems(previous, polled);
  return polled;
}

/**
 * Looks up each configured instance through the list API's id filter. An id the API does not
 * know is reported (not_found) and left out; any other failure fails discovery, so the last
 * good state is kept.
 */
async function findConfigured(
  api: GeminiDbApiContext,
  ids: readonly string[],
  limit: ReturnType<typeof pLimit>,
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

/** An instance as probed, before its owner tags are added. */
type ProbedInstance = Omit<GeminiDbInstanceState, "tags" | "tagsReadAtSeconds">;

/**
 * Adds each instance's configured owner tags: re-read when older than TAGS_REFRESH_SECONDS (or
 * never read), else carried over. A failed read keeps the last tags and is counted; it never
 * fails the poll, since tags only label ownership.
 */
async function readOwnerTags(
  probed: readonly ProbedInstance[],
  previous: GeminiDbSourceSnapshot,
  api: GeminiDbApiContext,
  deps: GeminiDbPollDependencies,
  limit: ReturnType<typeof pLimit>,
  log: Logger,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
): Promise<GeminiDbInstanceState[]> {
  if (deps.ownerTagKeys.length === 0) {
    return probed.map((state) => ({ ...state, tags: null, tagsReadAtSeconds: null }));
  }
  const now = deps.now();
  return Promise.all(
    probed.map(async (state): Promise<GeminiDbInstanceState> => {
      const last = previous.instances.get(state.id);
      const lastTags = {
        tags: last?.tags ?? null,
        tagsReadAtSeconds: last?.tagsReadAtSeconds ?? null,
      };
      if (
        lastTags.tagsReadAtSeconds !== null &&
        now - lastTags.tagsReadAtSeconds < TAGS_REFRESH_SECONDS
      ) {
        return { ...state, ...lastTags };
      }
      return limit(async () => {
        try {
          const tags = await listGeminiDbInstanceTags(api, state.id);
          return {
            ...state,
            tags: pickOwnerTags(tags, deps.ownerTagKeys),
            tagsReadAtSeconds: now,
          };
        } catch (error) {
          if (!(error instanceof CloudApiError) || api.signal?.aborted === true) throw error;
          reportApiError(error, { instanceId: state.id });
          log.debug({ instanceId: state.id }, "GeminiDB instance tags kept from the last read");
          return { ...state, ...lastTags };
        }
      });
    }),
  );
}

interface ProbeContext {
  readonly api: GeminiDbApiContext;
  readonly deps: GeminiDbPollDependencies;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Filled with the duration of every download made. */
  readonly linkDurations: Map<string, number>;
}

async function probeInstance(
  instance: GeminiDbInstance,
  last: GeminiDbInstanceState | undefined,
  { api, deps, log, signal, linkDurations }: ProbeContext,
): Promise<ProbedInstance> {
  const base = {
    id: instance.id,
    name: instance.name,
    datastoreType: instance.datastoreType,
    ssl: instance.ssl ?? "",
    enterpriseProjectId: instance.enterpriseProjectId,
    ccmCertificateId: instance.ccmCertificateId ? instance.ccmCertificateId : null,
  } as const;
  if (instance.ssl === "0") return { ...base, certOrigin: "", links: [] };
  // A CCM certificate is not served through the download link: the ccm source reports it.
  if (instance.ccmCertificateId !== null) return { ...base, certOrigin: "ccm", links: [] };

  const context = { instanceId: instance.id, instanceName: instance.name };
  const lastLinks = new Map((last?.links ?? []).map((link) => [link.category, link]));
  const down = (
    category: string,
    reason: ErrorReason,
    message: string,
    statusCode = 0,
  ): CaLinkState => ({
    category,
    up: false,
    statusCode,
    bytes: null,
    reason,
    certificates: lastLinks.get(category)?.certificates ?? [],
    problem: { reason, message },
  });

  let links;
  try {
    links = await showSslCertDownloadLinks(api, instance.id);
  } catch (error) {
    signal.throwIfAborted();
    if (!(error instanceof CloudApiError)) throw error;
    deps.recordError("link_api_error");
    log.debug({ ...context, ...error.toLogFields() }, "GeminiDB download link unavailable");
    const previous = last?.links.length ? last.links : [{ category: "" }];
    const message = `CA download link unavailable: ${error.message}`;
    return {
      ...base,
      certOrigin: "download_link",
      links: previous.map((link) => down(link.category, "link_api_error", message)),
    };
  }
  if (links.length === 0) {
    // With SSL known to be on, no link is a fault; with SSL unknown it means SSL is off.
    if (instance.ssl === null) return { ...base, certOrigin: "", links: [] };
    deps.recordError("link_api_error");
    return {
      ...base,
      certOrigin: "download_link",
      links: [down("", "link_api_error", "SSL is on but the API gave no CA download link")],
    };
  }

  const states: CaLinkState[] = [];
  for (const link of links) {
    const linkContext = { ...context, category: link.category, link: describeUrl(link.url) };
    const result = await downloadFile(link.url, deps.download, signal);
    linkDurations.set(linkKey(instance.id, link.category), result.durationSeconds);
    if (!result.ok) {
      deps.recordError(result.reason);
      log.debug(
        { ...linkContext, reason: result.reason, status: result.status, detail: result.detail },
        "GeminiDB CA download failed",
      );
      states.push({
        ...down(
          link.category,
          result.reason,
          `CA download failed: ${result.detail}`,
          result.status,
        ),
        bytes: result.bytesRead,
      });
      continue;
    }
    const bundle: ParsedBundle = deps.bundles.parse(result.bytes);
    const readable = bundle.certificates.length > 0;
    let problem: CaLinkState["problem"] = null;
    if (bundle.issues.length > 0 || !readable) {
      deps.recordError("bad_content");
      problem = { reason: "bad_content", message: contentMessage(bundle) };
    }
    states.push({
      category: link.category,
      up: readable,
      statusCode: result.status,
      bytes: result.bytes.length,
      reason: readable ? null : "bad_content",
      certificates: readable
        ? bundle.certificates
        : (lastLinks.get(link.category)?.certificates ?? []),
      problem,
    });
  }
  return { ...base, certOrigin: "download_link", links: states };
}

/** What of a downloaded CA file could not be read, and how much could. */
function contentMessage(bundle: ParsedBundle): string {
  const issues = quoteIssues(bundle.issues);
  const readable = bundle.certificates.length;
  if (readable === 0) return `the CA file holds no readable certificate: ${issues}`;
  return `the CA file has unreadable parts: ${issues}; ${readableCount(readable)}`;
}
