// Reads the certificates an operator configured by id (HWCERT_ELB_CERTIFICATE_IDS) through the
// details API. Tells a deleted certificate (404: dropped, reported) from one that could not be
// read this time (handed back for the caller to keep), and fails only when nothing answered.

import type { LimitFunction } from "p-limit";
import type { CloudApiError } from "../../cloud/errors.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import { showElbCertificate, type ElbApiContext, type ElbCertificate } from "./api.js";

export interface ConfiguredCertificates {
  readonly certificates: ElbCertificate[];
  readonly failures: { readonly id: string; readonly error: CloudApiError }[];
}

/**
 * Reads each configured certificate. A 404 means the certificate was deleted: it is dropped (and
 * reported). Other failures are handed back for the caller to report and keep the certificate's
 * last good state. Discovery fails as a whole (throws the first failure) only when no request
 * got a usable answer.
 */
export async function fetchConfigured(
  api: ElbApiContext,
  ids: readonly string[],
  limit: LimitFunction,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
): Promise<ConfiguredCertificates> {
  const results = await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          return { ok: true as const, id, certificate: await showElbCertificate(api, id) };
        } catch (caught) {
          return { ok: false as const, id, error: cloudFailure(caught, api.signal) };
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
