// Builds one ELB certificate's state from what the API said of it this poll: its identity, its
// expire_time, its parsed PEM chain and what of them could not be read (its problems). Counts
// each unreadable part in hwcert_errors_total as it finds it. Whether the state changed since the
// last poll is not decided here (see poll/unchanged.ts).

import type { BundleIssue, ParsedBundle, ParsedCertificate } from "../../certs/types.js";
import { parseApiTime } from "../../cloud/api-time.js";
import type { CloudApiError } from "../../cloud/errors.js";
import type { BundleCache } from "../../poll/bundle-cache.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { quoteIssues, readableCount } from "../../poll/resource-problems.js";
import type { ResourceProblem } from "../../poll/snapshot.js";
import type { ErrorReason } from "../../reasons.js";
import type { ElbCertificate } from "./api.js";
import type { ElbCertificateState } from "./snapshot.js";

/** A failed details call as the certificate's problem (the error's message is secret-free). */
export function detailsProblem(error: CloudApiError): ResourceProblem {
  return { reason: error.reason, message: `details could not be read: ${error.message}` };
}

/** The PEM's problems, which are kept with the last good certificates of a failed details call. */
function isPemProblem(problem: ResourceProblem): boolean {
  return problem.reason === "bad_pem" || problem.reason === "bad_certificate";
}

/** A certificate's last state, with a details call that failed this time as a problem. */
export function withDetailsProblem(
  last: ElbCertificateState,
  problem: ResourceProblem,
): ElbCertificateState {
  return { ...last, problems: [...last.problems.filter(isPemProblem), problem] };
}

export function buildCertificateState(
  certificate: ElbCertificate,
  last: ElbCertificateState | undefined,
  deps: Pick<SourcePollDependencies, "recordError"> & { readonly bundles: BundleCache },
  /** The details call that should have brought the PEM failed: the certificate's problem. */
  detailsFailed: ResourceProblem | null = null,
): ElbCertificateState {
  const problems: ResourceProblem[] = [];
  const expireTimeSeconds = readExpireTime(certificate, problems, deps.recordError);

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
  return { ...toIdentity(certificate), expireTimeSeconds, certificates, problems };
}

/** The API's expire_time in Unix seconds; null (and a problem) when absent or unreadable. */
function readExpireTime(
  certificate: ElbCertificate,
  problems: ResourceProblem[],
  recordError: (reason: ErrorReason) => void,
): number | null {
  if (certificate.expireTime === null) {
    recordError("bad_time");
    problems.push({ reason: "bad_time", message: "the API gave no expire_time" });
    return null;
  }
  const seconds = parseApiTime(certificate.expireTime);
  if (seconds === null) {
    recordError("bad_time");
    problems.push({
      reason: "bad_time",
      message: `expire_time ${JSON.stringify(certificate.expireTime.slice(0, 40))} is unreadable`,
    });
  }
  return seconds;
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
