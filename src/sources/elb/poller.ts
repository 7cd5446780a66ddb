// One poll of the ELB source: discover certificates (list with marker paging, or the configured
// ids through the details API), read expire_time, parse every PEM, and build the next
// ElbSourceSnapshot from the previous one. Failures are logged, counted and folded into the
// snapshot (what one certificate lacks becomes its problems); nothing here throws except on
// abort, and nothing touches metrics directly. Listener bindings (which listeners use each
// certificate) come from a second listing whose failure only keeps the last good bindings: it
// never fails certificate discovery.

import pLimit from "p-limit";
import type { BundleIssue, ParsedBundle, ParsedCertificate } from "../../certs/types.js";
import { parseApiTime } from "../../cloud/api-time.js";
import {
  listElbCertificatePages,
  showElbCertificate,
  type ElbApiContext,
  type ElbCertificate,
} from "./api.js";
import { listElbListenerPages, type ElbListener } from "./listeners.js";
import { CloudApiError } from "../../cloud/errors.js";
import type { Logger } from "../../log/logger.js";
import type { ErrorReason } from "../../reasons.js";
import { pickOwnerTags } from "../../poll/owner-tags.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { quoteIssues, readableCount } from "../../poll/resource-problems.js";
import { sourceReport } from "../../poll/source-report.js";
import {
  keepIfUnchanged,
  markFailed,
  type ResourceProblem,
  sameProblems,
} from "../../poll/snapshot.js";
import {
  type ElbCertificateState,
  type ElbSourceSnapshot,
  type ListenerBinding,
} from "./snapshot.js";

export interface ElbPollDependencies extends SourcePollDependencies {
  readonly api: Omit<ElbApiContext, "signal">;
  /** null: discover every certificate of the project. */
  readonly certificateIds: readonly string[] | null;
}

export async function pollElb(
  deps: ElbPollDependencies,
  previous: ElbSourceSnapshot,
  signal: AbortSignal,
): Promise<ElbSourceSnapshot> {
  const attemptedAt = deps.now();
  const api: ElbApiContext = { ...deps.api, signal };
  const limit = pLimit(deps.concurrency);
  const { log, reportApiError, countResourceApiError, onShapeProblem, skipped, logProblems } =
    sourceReport(deps, "elb", "ELB", previous.projectId);

  // Certificates are digested as they arrive (PEM parsed or recalled from the cache), so the
  // PEM text of a 10,000-certificate project is never held all at once.
  const next = new Map<string, ElbCertificateState>();
  const withoutPem: ElbCertificate[] = [];
  const digest = (certificate: ElbCertificate): void => {
    if (certificate.certificatePem === null) {
      withoutPem.push(certificate);
      return;
    }
    next.set(
      certificate.id,
      buildState(certificate, previous.certificates.get(certificate.id), deps),
    );
  };

  /**
   * Certificates to keep in their last state: configured ones whose details failed this time
   * (with that failure as a problem), or, while list entries were skipped, known ones the list
   * did not name (as they were).
   */
  let kept: readonly { readonly id: string; readonly problem: ResourceProblem | null }[] = [];
  try {
    if (deps.certificateIds === null) {
      const listed = new Set<string>();
      for await (const page of listElbCertificatePages(api, onShapeProblem)) {
        for (const certificate of page) {
          listed.add(certificate.id);
          digest(certificate);
        }
      }
      // An entry that could not be read is not a deleted certificate. Without this, one
      // malformed entry (say `"name": 5`) silently dropped that certificate's series: while any
      // entry was skipped, every known certificate the list did not name keeps its last state.
      if (skipped() > 0) {
        kept = [...previous.certificates.keys()]
          .filter((id) => !listed.has(id))
          .map((id) => ({ id, problem: null }));
      }
    } else {
      const configured = await fetchConfigured(
        api,
        deps.certificateIds,
        limit,
        reportApiError,
        signal,
      );
      for (const certificate of configured.certificates) digest(certificate);
      kept = configured.failures.map(({ id, error }) => {
        const context = { certificateId: id };
        // A certificate known from an earlier poll shows the failure as its problem; one never
        // read has no state to carry it, so it is reported as the API failure it is.
        if (previous.certificates.has(id)) countResourceApiError(error, context);
        else reportApiError(error, context);
        return { id, problem: detailsProblem(error) };
      });
    }
  } catch (error) {
    signal.throwIfAborted();
    if (!(error instanceof CloudApiError)) throw error;
    reportApiError(error);
    deps.bundles.keepAll();
    return markFailed(previous, attemptedAt, error);
  }

  // The list API normally carries the PEM; fetch details only for entries that lack it.
  const detailed = await Promise.all(
    withoutPem.map((certificate) =>
      limit(async () => {
        try {
          return { certificate: await showElbCertificate(api, certificate.id), failed: null };
        } catch (error) {
          signal.throwIfAborted();
          if (!(error instanceof CloudApiError)) throw error;
          countResourceApiError(error, {
            certificateId: certificate.id,
            certificateName: certificate.name,
          });
          return { certificate, failed: detailsProblem(error) };
        }
      }),
    ),
  );
  for (const { certificate, failed } of detailed) {
    next.set(
      certificate.id,
      buildState(certificate, previous.certificates.get(certificate.id), deps, failed),
    );
  }
  for (const { id, problem } of kept) {
    const last = previous.certificates.get(id);
    if (last === undefined) continue;
    next.set(id, problem === null ? last : withDetailsProblem(last, problem));
  }
  deps.bundles.sweep();
  const listenerBindings = await pollListenerBindings(
    api,
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
    certificates: keepIfUnchanged(previous.certificates, next),
    ...(listenerBindings === undefined ? {} : { listenerBindings }),
  };
  logProblems(previous, polled);
  return polled;
}

/**
 * Lists every listener of the project and indexes their certificate references. Any failure,
 * a skipped (off-contract) listener included, keeps the previous bindings: a partial listing
 * would make a certificate in use look unused.
 */
async function pollListenerBindings(
  api: ElbApiContext,
  previous: ElbSourceSnapshot["listenerBindings"],
  deps: ElbPollDependencies,
  log: Logger,
  reportApiError: (error: CloudApiError) => void,
): Promise<ElbSourceSnapshot["listenerBindings"]> {
  let skipped = 0;
  const onShapeProblem = (problem: { operation: string; detail: string }): void => {
    skipped++;
    deps.recordError("api_shape");
    log.warn(problem, "ELB listener entry skipped");
  };
  const bindings = new Map<string, ListenerBinding[]>();
  try {
    for await (const page of listElbListenerPages(api, onShapeProblem)) {
      for (const listener of page) addBindings(bindings, listener, deps.ownerTagKeys);
    }
  } catch (error) {
    api.signal?.throwIfAborted();
    if (!(error instanceof CloudApiError)) throw error;
    reportApiError(error);
    log.warn({ reason: error.reason }, "ELB listener bindings kept from the last good poll");
    return previous;
  }
  if (skipped > 0) {
    log.warn({ skipped }, "ELB listener bindings kept from the last good poll");
    return previous;
  }
  // Unchanged listeners keep the previous object (see keepIfUnchanged).
  return previous !== undefined && sameBindings(previous, bindings) ? previous : bindings;
}

function sameBindings(
  a: ReadonlyMap<string, readonly ListenerBinding[]>,
  b: ReadonlyMap<string, readonly ListenerBinding[]>,
): boolean {
  if (a.size !== b.size) return false;
  const entries = a.entries();
  for (const [id, uses] of b) {
    const entry = entries.next().value;
    if (entry === undefined || entry[0] !== id || entry[1].length !== uses.length) return false;
    for (let i = 0; i < uses.length; i++) {
      if (!sameBinding(entry[1][i] as ListenerBinding, uses[i] as ListenerBinding)) return false;
    }
  }
  return true;
}

function sameBinding(a: ListenerBinding, b: ListenerBinding): boolean {
  const aTags = Object.entries(a.tags);
  return (
    a.role === b.role &&
    a.listenerId === b.listenerId &&
    a.listenerName === b.listenerName &&
    a.protocol === b.protocol &&
    a.port === b.port &&
    a.loadBalancerId === b.loadBalancerId &&
    aTags.length === Object.keys(b.tags).length &&
    aTags.every(([key, value]) => Object.hasOwn(b.tags, key) && b.tags[key] === value)
  );
}

function addBindings(
  bindings: Map<string, ListenerBinding[]>,
  listener: ElbListener,
  ownerTagKeys: readonly string[],
): void {
  const base = {
    listenerId: listener.id,
    listenerName: listener.name,
    protocol: listener.protocol,
    port: listener.port,
    loadBalancerId: listener.loadBalancerIds.join(","),
    tags: pickOwnerTags(listener.tags, ownerTagKeys),
  };
  const add = (certificateId: string, role: ListenerBinding["role"]): void => {
    let list = bindings.get(certificateId);
    if (list === undefined) {
      list = [];
      bindings.set(certificateId, list);
    }
    list.push({ role, ...base });
  };
  if (listener.defaultCertificateId !== null) add(listener.defaultCertificateId, "default");
  // One listener counts once per role, even if it names a certificate twice.
  for (const id of new Set(listener.sniCertificateIds)) add(id, "sni");
  if (listener.clientCaCertificateId !== null) add(listener.clientCaCertificateId, "client_ca");
}

/**
 * Reads each configured certificate through the details API. A 404 means the certificate was
 * deleted: it is dropped (and reported). Other failures are handed back for the caller to report
 * and keep the certificate's last good state. Discovery fails as a whole (throws the first
 * failure) only when no request got a usable answer.
 */
async function fetchConfigured(
  api: ElbApiContext,
  ids: readonly string[],
  limit: ReturnType<typeof pLimit>,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
  signal: AbortSignal,
): Promise<{ certificates: ElbCertificate[]; failures: { id: string; error: CloudApiError }[] }> {
  const results = await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          return { ok: true as const, id, certificate: await showElbCertificate(api, id) };
        } catch (error) {
          signal.throwIfAborted();
          if (!(error instanceof CloudApiError)) throw error;
          return { ok: false as const, id, error };
        }
      }),
    ),
  );
  const certificates: ElbCertificate[] = [];
  const failures: { id: string; error: CloudApiError }[] = [];
  let answered = 0;
  for (const result of results) {
    if (result.ok) {
      certificates.push(result.certificate);
      answered++;
    } else if (result.error.reason === "not_found") {
      reportApiError(result.error, { certificateId: result.id });
      answered++;
    } else {
      failures.push({ id: result.id, error: result.error });
    }
  }
  const [first, ...others] = failures;
  if (answered === 0 && first) {
    // Nothing answered: the source is down. The caller reports the first failure.
    for (const failure of others) reportApiError(failure.error, { certificateId: failure.id });
    throw first.error;
  }
  return { certificates, failures };
}

/** A failed details call as the certificate's problem (the error's message is secret-free). */
function detailsProblem(error: CloudApiError): ResourceProblem {
  return { reason: error.reason, message: `details could not be read: ${error.message}` };
}

/** The PEM's problems, which are kept with the last good certificates of a failed details call. */
function isPemProblem(problem: ResourceProblem): boolean {
  return problem.reason === "bad_pem" || problem.reason === "bad_certificate";
}

/** A certificate's last state, with a details call that failed this time as a problem. */
function withDetailsProblem(
  last: ElbCertificateState,
  problem: ResourceProblem,
): ElbCertificateState {
  const problems = [...last.problems.filter(isPemProblem), problem];
  return sameProblems(last.problems, problems) ? last : { ...last, problems };
}

function buildState(
  certificate: ElbCertificate,
  last: ElbCertificateState | undefined,
  deps: ElbPollDependencies,
  /** The details call that should have brought the PEM failed: the certificate's problem. */
  detailsFailed: ResourceProblem | null = null,
): ElbCertificateState {
  const problems: ResourceProblem[] = [];
  let expireTimeSeconds: number | null = null;
  if (certificate.expireTime === null) {
    deps.recordError("bad_time");
    problems.push({ reason: "bad_time", message: "the API gave no expire_time" });
  } else {
    expireTimeSeconds = parseApiTime(certificate.expireTime);
    if (expireTimeSeconds === null) {
      deps.recordError("bad_time");
      problems.push({
        reason: "bad_time",
        message: `expire_time ${JSON.stringify(certificate.expireTime.slice(0, 40))} is unreadable`,
      });
    }
  }

  let certificates: readonly ParsedCertificate[];
  if (certificate.certificatePem === null) {
    // Details could not be fetched this time: keep what the last good poll parsed, and its
    // verdict on the PEM.
    certificates = last?.certificates ?? [];
    problems.push(...(last?.problems.filter(isPemProblem) ?? []));
  } else {
    const bundle = deps.bundles.parse(certificate.certificatePem);
    certificates = bundle.certificates;
    const unreadable = pemProblems(bundle);
    for (const problem of unreadable) deps.recordError(problem.reason);
    problems.push(...unreadable);
  }
  if (detailsFailed !== null) problems.push(detailsFailed);

  // Unchanged since the last poll: hand back the same object, so an unchanged project makes
  // no new state (and the snapshot shares structure from poll to poll).
  const identity = toIdentity(certificate);
  if (
    last !== undefined &&
    last.certificates === certificates &&
    last.expireTimeSeconds === expireTimeSeconds &&
    last.name === identity.name &&
    last.type === identity.type &&
    last.enterpriseProjectId === identity.enterpriseProjectId &&
    last.origin === identity.origin &&
    last.ccmCertificateId === identity.ccmCertificateId &&
    sameProblems(last.problems, problems)
  ) {
    return last;
  }
  return { ...identity, expireTimeSeconds, certificates, problems };
}

/**
 * The unreadable parts of a PEM, one problem per reason (a block that is not PEM, one that is
 * not a certificate), each saying how much of the PEM could still be read.
 */
function pemProblems(bundle: ParsedBundle): ResourceProblem[] {
  const byReason = new Map<ErrorReason, BundleIssue[]>();
  for (const issue of bundle.issues) {
    const reason = issue.kind === "bad_pem" ? "bad_pem" : "bad_certificate";
    byReason.set(reason, [...(byReason.get(reason) ?? []), issue]);
  }
  const readable = `${readableCount(bundle.certificates.length)} in the PEM`;
  return [...byReason].map(([reason, issues]) => ({
    reason,
    message: `${quoteIssues(issues)}; ${readable}`,
  }));
}

function toIdentity(
  certificate: ElbCertificate,
): Pick<
  ElbCertificateState,
  "id" | "name" | "type" | "enterpriseProjectId" | "origin" | "ccmCertificateId"
> {
  return {
    id: certificate.id,
    name: certificate.name,
    type: certificate.type,
    enterpriseProjectId: certificate.enterpriseProjectId,
    origin: certificate.source,
    // Only a certificate CCM manages links to it (a stray id on an upload means nothing).
    ccmCertificateId: certificate.source === "scm" ? certificate.scmCertificateId : null,
  };
}
