// One poll of the Cloud Certificate Manager source: list every SSL certificate of the account,
// then read the details (not_before / not_after) only of certificates that are new or whose list
// fields changed since they were last read, so a steady account costs only the list calls. A
// failing list keeps the last good snapshot; a failing details call keeps that certificate's
// last known validity, is its problem, and is retried next poll. Nothing here touches metrics.

import pLimit from "p-limit";
import { parseApiTimeOrEpoch } from "../../cloud/api-time.js";
import {
  listCcmCertificates,
  showCcmCertificate,
  type CcmApiContext,
  type CcmCertificate,
} from "./api.js";
import type { CloudApiError } from "../../cloud/errors.js";
import { classifyCcmStatus } from "./status.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import type { PollContext, SourcePoll } from "../../poll/poll-context.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { ccmResources } from "./resources.js";
import { sourceReport } from "../../poll/source-report.js";
import { markFailed, type ResourceProblem } from "../../poll/snapshot.js";
import { keepUnchanged } from "../../poll/unchanged.js";
import { type CcmCertificateState, type CcmSourceSnapshot } from "./snapshot.js";

export interface CcmPollDependencies extends Omit<SourcePollDependencies, "bundles"> {
  readonly api: Omit<CcmApiContext, "signal">;
}

/** The CCM poller of one target, on the account's client. */
export function createCcmPoller(context: PollContext): SourcePoll<CcmSourceSnapshot> {
  const deps = {
    ...context,
    api: { client: context.client, endpoint: context.target.endpoints.ccm },
  };
  return { poll: (previous, signal) => pollCcm(deps, previous, signal) };
}

export async function pollCcm(
  deps: CcmPollDependencies,
  previous: CcmSourceSnapshot,
  signal: AbortSignal,
): Promise<CcmSourceSnapshot> {
  const attemptedAt = deps.now();
  const api: CcmApiContext = { ...deps.api, signal };
  const limit = pLimit(deps.concurrency);
  const { reportApiError, countResourceApiError, onShapeProblem, skipped, logProblems } =
    sourceReport(deps, { name: "ccm", resources: ccmResources }, previous.projectId);

  let listed: CcmCertificate[];
  try {
    listed = await listCcmCertificates(api, onShapeProblem);
  } catch (caught) {
    const error = cloudFailure(caught, signal);
    reportApiError(error);
    return markFailed(previous, attemptedAt, error);
  }

  const states = await Promise.all(
    listed.map((certificate) => {
      const last = previous.certificates.get(certificate.id);
      const key = listKey(certificate);
      // Unchanged in the list since its details were read: nothing to fetch.
      if (last?.detailsFor === key) return Promise.resolve(last);
      return limit(() => readDetails(certificate, key, last, api, deps, countResourceApiError));
    }),
  );
  const next = new Map(states.map((state) => [state.id, state]));
  // An entry that could not be read is not a deleted certificate: while any was skipped, every
  // known certificate the list did not name keeps its last state.
  if (skipped() > 0) {
    for (const [id, state] of previous.certificates) if (!next.has(id)) next.set(id, state);
  }
  const polled: CcmSourceSnapshot = {
    ...previous,
    up: true,
    lastSuccessSeconds: deps.now(),
    lastAttemptSeconds: attemptedAt,
    lastError: null,
    // A certificate whose state did not change stays the object it was (a details call failing
    // again, say), so an unchanged account keeps its map, and the metrics renderer its text.
    certificates: keepUnchanged(previous.certificates, next),
  };
  logProblems(previous, polled);
  return polled;
}

/** The list fields whose change means the certificate may have been renewed, re-issued or revoked. */
function listKey(certificate: CcmCertificate): string {
  return JSON.stringify([
    certificate.status,
    certificate.expireTime,
    certificate.name,
    certificate.domain,
    certificate.sans,
    certificate.type,
    certificate.brand,
    certificate.signatureAlgorithm,
    certificate.enterpriseProjectId,
  ]);
}

async function readDetails(
  certificate: CcmCertificate,
  key: string,
  last: CcmCertificateState | undefined,
  api: CcmApiContext,
  deps: CcmPollDependencies,
  countResourceApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
): Promise<CcmCertificateState> {
  const identity = {
    id: certificate.id,
    name: certificate.name,
    domain: certificate.domain,
    sans: certificate.sans,
    type: certificate.type,
    brand: certificate.brand,
    signatureAlgorithm: certificate.signatureAlgorithm,
    apiStatus: certificate.status,
    status: classifyCcmStatus(certificate.status),
    enterpriseProjectId: certificate.enterpriseProjectId,
  };
  const context = { certificateId: certificate.id, certificateName: certificate.name };
  let details;
  try {
    details = await showCcmCertificate(api, certificate.id);
  } catch (caught) {
    const error = cloudFailure(caught, api.signal);
    countResourceApiError(error, context);
    // The validity last read stays until a details call succeeds again.
    return {
      ...identity,
      notBefore: last?.notBefore ?? null,
      notAfter: last?.notAfter ?? null,
      detailsFor: null,
      problems: [{ reason: error.reason, message: `details could not be read: ${error.message}` }],
    };
  }
  const unreadable: string[] = [];
  const readTime = (field: string, value: string | number | null): number | null => {
    if (value === null) return null;
    const seconds = parseApiTimeOrEpoch(value);
    if (seconds === null) {
      deps.recordError("bad_time");
      unreadable.push(`${field} ${JSON.stringify(String(value).slice(0, 40))}`);
    }
    return seconds;
  };
  const notBefore = readTime("not_before", details.notBefore);
  const notAfter = readTime("not_after", details.notAfter);
  const problems: ResourceProblem[] = [];
  if (unreadable.length > 0) {
    problems.push({ reason: "bad_time", message: `unreadable: ${unreadable.join(", ")}` });
  }
  return { ...identity, notBefore, notAfter, detailsFor: key, problems };
}
