// One poll of the ELB source: discover certificates (list with marker paging, or the configured
// ids through the details API), read expire_time, parse every PEM, and build the next
// ElbSourceSnapshot from the previous one. Failures are logged, counted and folded into the
// snapshot (what one certificate lacks becomes its problems); nothing here throws except on
// abort, and nothing touches metrics directly. Listener bindings come from a second listing
// (listener-bindings.ts) whose failure never fails certificate discovery.

import pLimit, { type LimitFunction } from "p-limit";
import { BundleCache } from "../../poll/bundle-cache.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import type { PollContext, SourcePoll } from "../../poll/poll-context.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { markFailed, type ResourceProblem } from "../../poll/snapshot.js";
import { sourceReport, type SourceReport } from "../../poll/source-report.js";
import { elbResources } from "./resources.js";
import { keepUnchanged } from "../../poll/unchanged.js";
import {
  listElbCertificatePages,
  showElbCertificate,
  type ElbApiContext,
  type ElbCertificate,
} from "./api.js";
import { buildCertificateState, detailsProblem, withDetailsProblem } from "./certificate-state.js";
import { fetchConfigured } from "./configured.js";
import { pollListenerBindings } from "./listener-bindings.js";
import type { ElbCertificateState, ElbSourceSnapshot } from "./snapshot.js";

export interface ElbPollDependencies extends SourcePollDependencies {
  readonly api: Omit<ElbApiContext, "signal">;
  /** null: discover every certificate of the project. */
  readonly certificateIds: readonly string[] | null;
}

/** One poll's working state, shared by its steps. */
interface ElbPoll {
  readonly deps: ElbPollDependencies;
  readonly previous: ElbSourceSnapshot;
  readonly api: ElbApiContext;
  readonly signal: AbortSignal;
  readonly limit: LimitFunction;
  readonly report: SourceReport<ElbSourceSnapshot>;
  /** The certificates read so far, in discovery order. */
  readonly next: Map<string, ElbCertificateState>;
  /** Listed without their PEM: their details are read after discovery. */
  readonly withoutPem: ElbCertificate[];
}

/**
 * Certificates to keep in their last state: configured ones whose details failed this time
 * (with that failure as a problem), or, while list entries were skipped, known ones the list
 * did not name (as they were).
 */
type Kept = readonly { readonly id: string; readonly problem: ResourceProblem | null }[];

/** The ELB poller of one target: the configured certificate ids, its own bundle cache. */
export function createElbPoller(context: PollContext): SourcePoll<ElbSourceSnapshot> {
  const { client, target } = context;
  const deps = {
    ...context,
    certificateIds: target.elb.certificateIds,
    bundles: new BundleCache(),
  };
  return {
    poll: (previous, signal) =>
      pollElb(
        { ...deps, api: { client, endpoint: target.endpoints.elb, projectId: previous.projectId } },
        previous,
        signal,
      ),
  };
}

export async function pollElb(
  deps: ElbPollDependencies,
  previous: ElbSourceSnapshot,
  signal: AbortSignal,
): Promise<ElbSourceSnapshot> {
  const attemptedAt = deps.now();
  const poll: ElbPoll = {
    deps,
    previous,
    api: { ...deps.api, signal },
    signal,
    limit: pLimit(deps.concurrency),
    report: sourceReport(deps, { name: "elb", resources: elbResources }, previous.projectId),
    next: new Map(),
    withoutPem: [],
  };
  let kept: Kept;
  try {
    kept =
      deps.certificateIds === null
        ? await discoverListed(poll)
        : await discoverConfigured(poll, deps.certificateIds);
  } catch (caught) {
    const error = cloudFailure(caught, signal);
    poll.report.reportApiError(error);
    deps.bundles.keepAll();
    return markFailed(previous, attemptedAt, error);
  }
  await readMissingPems(poll);
  for (const { id, problem } of kept) {
    const last = previous.certificates.get(id);
    if (last === undefined) continue;
    poll.next.set(id, problem === null ? last : withDetailsProblem(last, problem));
  }
  deps.bundles.sweep();
  const { log, reportApiError } = poll.report;
  const listenerBindings = await pollListenerBindings(
    poll.api,
    previous.listenerBindings,
    deps,
    log,
    reportApiError,
  );
  const polled: ElbSourceSnapshot = {
    ...previous,
    up: true,
    lastSuccessSeconds: deps.now(),
    lastAttemptSeconds: attemptedAt,
    lastError: null,
    certificates: keepUnchanged(previous.certificates, poll.next),
    ...(listenerBindings === undefined ? {} : { listenerBindings }),
  };
  poll.report.logProblems(previous, polled);
  return polled;
}

/**
 * Certificates are digested as they arrive (PEM parsed or recalled from the cache), so the PEM
 * text of a 10,000-certificate project is never held all at once.
 */
function digest(poll: ElbPoll, certificate: ElbCertificate): void {
  if (certificate.certificatePem === null) {
    poll.withoutPem.push(certificate);
    return;
  }
  const last = poll.previous.certificates.get(certificate.id);
  poll.next.set(certificate.id, buildCertificateState(certificate, last, poll.deps));
}

/** Every certificate of the project through the list API. */
async function discoverListed(poll: ElbPoll): Promise<Kept> {
  const listed = new Set<string>();
  for await (const page of listElbCertificatePages(poll.api, poll.report.onShapeProblem)) {
    for (const certificate of page) {
      listed.add(certificate.id);
      digest(poll, certificate);
    }
  }
  // An entry that could not be read is not a deleted certificate. Without this, one malformed
  // entry (say `"name": 5`) silently dropped that certificate's series: while any entry was
  // skipped, every known certificate the list did not name keeps its last state.
  if (poll.report.skipped() === 0) return [];
  return [...poll.previous.certificates.keys()]
    .filter((id) => !listed.has(id))
    .map((id) => ({ id, problem: null }));
}

/** The configured certificates through the details API. */
async function discoverConfigured(poll: ElbPoll, ids: readonly string[]): Promise<Kept> {
  const { reportApiError, countResourceApiError } = poll.report;
  const configured = await fetchConfigured(poll.api, ids, poll.limit, reportApiError);
  for (const certificate of configured.certificates) digest(poll, certificate);
  return configured.failures.map(({ id, error }) => {
    const context = { certificateId: id };
    // A certificate known from an earlier poll shows the failure as its problem; one never
    // read has no state to carry it, so it is reported as the API failure it is.
    if (poll.previous.certificates.has(id)) countResourceApiError(error, context);
    else reportApiError(error, context);
    return { id, problem: detailsProblem(error) };
  });
}

/** The list API normally carries the PEM; details are fetched only for entries that lack it. */
async function readMissingPems(poll: ElbPoll): Promise<void> {
  const detailed = await Promise.all(
    poll.withoutPem.map((certificate) =>
      poll.limit(async () => {
        try {
          return { certificate: await showElbCertificate(poll.api, certificate.id), failed: null };
        } catch (caught) {
          const error = cloudFailure(caught, poll.signal);
          poll.report.countResourceApiError(error, {
            certificateId: certificate.id,
            certificateName: certificate.name,
          });
          return { certificate, failed: detailsProblem(error) };
        }
      }),
    ),
  );
  for (const { certificate, failed } of detailed) {
    const last = poll.previous.certificates.get(certificate.id);
    poll.next.set(certificate.id, buildCertificateState(certificate, last, poll.deps, failed));
  }
}
