// One poll of the ELB source: discover certificates (list with marker paging, or the configured
// ids through the details API), read expire_time, parse every PEM, and build the next
// ElbSourceSnapshot from the previous one. Failures are logged, counted and folded into the
// snapshot; nothing here throws except on abort, and nothing touches metrics directly.

import pLimit from "p-limit";
import { parseApiTime } from "../cloud/api-time.js";
import {
  listElbCertificates,
  showElbCertificate,
  type ElbApiContext,
  type ElbCertificate,
} from "../cloud/elb.js";
import { CloudApiError } from "../cloud/errors.js";
import type { Logger } from "../log/logger.js";
import type { ErrorReason } from "../reasons.js";
import type { BundleCache } from "./bundle-cache.js";
import type { ElbCertificateState, ElbSourceSnapshot } from "./snapshot.js";

export interface ElbPollDependencies {
  readonly api: Omit<ElbApiContext, "signal">;
  /** null: discover every certificate of the project. */
  readonly certificateIds: readonly string[] | null;
  readonly concurrency: number;
  readonly bundles: BundleCache;
  readonly logger: Logger;
  readonly recordError: (reason: ErrorReason) => void;
  /** Unix seconds. */
  readonly now: () => number;
}

type Discovery =
  | {
      readonly ok: true;
      readonly certificates: readonly ElbCertificate[];
      readonly kept: readonly string[];
    }
  | { readonly ok: false; readonly error: CloudApiError };

export async function pollElb(
  deps: ElbPollDependencies,
  previous: ElbSourceSnapshot,
  signal: AbortSignal,
): Promise<ElbSourceSnapshot> {
  const attemptedAt = deps.now();
  const api: ElbApiContext = { ...deps.api, signal };
  const limit = pLimit(deps.concurrency);
  const log = deps.logger.child({ source: "elb", projectId: previous.projectId });

  const reportApiError = (error: CloudApiError, context: Record<string, unknown> = {}): void => {
    deps.recordError(error.reason);
    log.warn({ ...context, ...error.toLogFields() }, "ELB API request failed");
  };

  let discovery: Discovery;
  try {
    discovery =
      deps.certificateIds === null
        ? await discoverAll(api, deps, log)
        : await fetchConfigured(api, deps.certificateIds, limit, reportApiError, signal);
  } catch (error) {
    signal.throwIfAborted();
    if (!(error instanceof CloudApiError)) throw error;
    discovery = { ok: false, error };
  }

  if (!discovery.ok) {
    reportApiError(discovery.error);
    deps.bundles.keepAll();
    return {
      ...previous,
      up: false,
      lastAttemptSeconds: attemptedAt,
      lastError: { reason: discovery.error.reason, message: discovery.error.message },
    };
  }

  // The list API normally carries the PEM; fetch details only for entries that lack it.
  const completed = await Promise.all(
    discovery.certificates.map((certificate) =>
      certificate.certificatePem !== null
        ? Promise.resolve(certificate)
        : limit(async () => {
            try {
              return await showElbCertificate(api, certificate.id);
            } catch (error) {
              signal.throwIfAborted();
              if (!(error instanceof CloudApiError)) throw error;
              reportApiError(error, { certificateId: certificate.id });
              return certificate;
            }
          }),
    ),
  );

  const next = new Map<string, ElbCertificateState>();
  for (const certificate of completed) {
    const state = buildState(certificate, previous.certificates.get(certificate.id), deps, log);
    next.set(certificate.id, state);
  }
  // Configured certificates whose details failed this time keep their last good state.
  for (const id of discovery.kept) {
    const last = previous.certificates.get(id);
    if (last) next.set(id, last);
  }
  deps.bundles.sweep();
  return {
    ...previous,
    up: true,
    lastSuccessSeconds: deps.now(),
    lastAttemptSeconds: attemptedAt,
    lastError: null,
    certificates: next,
  };
}

async function discoverAll(
  api: ElbApiContext,
  deps: ElbPollDependencies,
  log: Logger,
): Promise<Discovery> {
  const certificates = await listElbCertificates(api, (problem) => {
    deps.recordError("api_shape");
    log.warn({ operation: problem.operation, detail: problem.detail }, "ELB list entry skipped");
  });
  return { ok: true, certificates, kept: [] };
}

/**
 * Reads each configured certificate through the details API. A 404 means the certificate was
 * deleted: it is dropped (and reported). Other failures keep its last good state. Discovery
 * fails as a whole only when no request got a usable answer.
 */
async function fetchConfigured(
  api: ElbApiContext,
  ids: readonly string[],
  limit: ReturnType<typeof pLimit>,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
  signal: AbortSignal,
): Promise<Discovery> {
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
    return { ok: false, error: first.error };
  }
  for (const failure of failures) reportApiError(failure.error, { certificateId: failure.id });
  return { ok: true, certificates, kept: failures.map((failure) => failure.id) };
}

function buildState(
  certificate: ElbCertificate,
  last: ElbCertificateState | undefined,
  deps: ElbPollDependencies,
  log: Logger,
): ElbCertificateState {
  const context = { certificateId: certificate.id, certificateName: certificate.name };
  let expireTimeSeconds: number | null = null;
  if (certificate.expireTime === null) {
    deps.recordError("bad_time");
    log.warn(context, "ELB certificate has no expire_time");
  } else {
    expireTimeSeconds = parseApiTime(certificate.expireTime);
    if (expireTimeSeconds === null) {
      deps.recordError("bad_time");
      log.warn({ ...context, expireTime: certificate.expireTime }, "ELB expire_time unreadable");
    }
  }

  if (certificate.certificatePem === null) {
    // Details could not be fetched this time: keep what the last good poll parsed.
    return {
      ...toIdentity(certificate),
      expireTimeSeconds,
      certificates: last?.certificates ?? [],
    };
  }
  const bundle = deps.bundles.parse(certificate.certificatePem);
  if (bundle.issues.length > 0) {
    const reasons = new Set(
      bundle.issues.map((issue) => (issue.kind === "bad_pem" ? "bad_pem" : "bad_certificate")),
    );
    for (const reason of reasons) deps.recordError(reason);
    log.warn(
      {
        ...context,
        issues: bundle.issues.map((issue) => issue.detail),
        parsedCertificates: bundle.certificates.length,
      },
      "ELB certificate PEM has unreadable parts",
    );
  }
  return { ...toIdentity(certificate), expireTimeSeconds, certificates: bundle.certificates };
}

function toIdentity(
  certificate: ElbCertificate,
): Pick<ElbCertificateState, "id" | "name" | "type"> {
  return { id: certificate.id, name: certificate.name, type: certificate.type };
}
