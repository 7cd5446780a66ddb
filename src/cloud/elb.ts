// ELB v3 certificate API: list (marker paging) and details. Turns responses into typed
// ElbCertificate values or CloudApiError (`api_shape` for anything off-contract). Private keys
// never get this far: the client drops them while parsing JSON. Knows nothing of metrics.

import { z } from "zod";
import type { CloudClient } from "./http-client.js";
import { describeIssues, shapeError } from "./shape.js";

export interface ElbCertificate {
  readonly id: string;
  readonly name: string;
  /** `server`, `client` (a CA certificate) or `server_sm`, as the API says. */
  readonly type: string;
  /** The API's expire_time, unparsed (two formats exist; see api-time.ts). */
  readonly expireTime: string | null;
  /** The certificate PEM (leaf and chain); null when the response did not include it. */
  readonly certificatePem: string | null;
}

export interface ElbApiContext {
  readonly client: CloudClient;
  /** Base URL of the ELB endpoint, without trailing slash. */
  readonly endpoint: string;
  readonly projectId: string;
  readonly signal?: AbortSignal;
}

/** Called for each list entry that is off-contract and skipped. */
export type ShapeProblemHandler = (problem: { operation: string; detail: string }) => void;

/** The API's maximum page size; servers may return fewer, so paging follows markers. */
export const ELB_PAGE_LIMIT = 2000;
/**
 * Stop a server that never stops paging, even one that hands out new records on every page
 * (repeats and marker loops are caught long before). Both bounds are far above any project's
 * certificate quota, yet keep the worst case to 1,000 requests (100 s at the default rate
 * limit) and 20,000 certificates in one poll's state; the former 10,000 pages of up to 2,000
 * certificates could take 17 minutes and millions of states before giving up.
 */
export const ELB_MAX_PAGES = 1_000;
export const ELB_MAX_CERTIFICATES = 20_000;

const certificateInfoSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  type: z.string().nullish(),
  certificate: z.string().nullish(),
  expire_time: z.string().nullish(),
});

const listResponseSchema = z.object({
  certificates: z.array(z.unknown()),
  page_info: z
    .object({
      next_marker: z.string().nullish(),
      current_count: z.number().nullish(),
    })
    .nullish(),
});

const showResponseSchema = z.object({ certificate: z.unknown() });

function toCertificate(info: z.infer<typeof certificateInfoSchema>): ElbCertificate {
  return {
    id: info.id,
    name: info.name ?? "",
    type: info.type ?? "",
    expireTime: info.expire_time ?? null,
    certificatePem: info.certificate ?? null,
  };
}

/**
 * Every certificate of the project, page by page, following next_marker to the last page.
 * Pages are yielded as they arrive so a caller can digest each (and let its PEM text go)
 * before the next one is fetched; a failure on any page throws, and the caller must then
 * treat the whole listing as failed.
 */
export async function* listElbCertificatePages(
  context: ElbApiContext,
  onShapeProblem: ShapeProblemHandler,
): AsyncGenerator<ElbCertificate[], void, undefined> {
  const operation = "list_certificates";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/elb/certificates`;
  const seenIds = new Set<string>();
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  for (let page = 0; page < ELB_MAX_PAGES; page++) {
    const searchParams = new URLSearchParams({ limit: String(ELB_PAGE_LIMIT) });
    if (marker !== undefined) searchParams.set("marker", marker);
    const response = await context.client.getJson({
      service: "elb",
      operation,
      url,
      searchParams,
      signal: context.signal,
    });
    const parsed = listResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw shapeError("elb", operation, describeIssues(parsed.error), response.requestId);
    }
    const certificates: ElbCertificate[] = [];
    for (const item of parsed.data.certificates) {
      const info = certificateInfoSchema.safeParse(item);
      if (!info.success) {
        onShapeProblem({ operation, detail: describeIssues(info.error) });
        continue;
      }
      // A server that hands out fresh markers forever cycles through the same records: a
      // repeated id is the reliable sign, long before the page bound.
      if (seenIds.has(info.data.id)) {
        throw shapeError(
          "elb",
          operation,
          "paging repeats certificates already listed",
          response.requestId,
        );
      }
      seenIds.add(info.data.id);
      certificates.push(toCertificate(info.data));
    }
    if (seenIds.size > ELB_MAX_CERTIFICATES) {
      throw shapeError(
        "elb",
        operation,
        `paging lists more than ${ELB_MAX_CERTIFICATES} certificates`,
        response.requestId,
      );
    }
    yield certificates;
    const next = parsed.data.page_info?.next_marker;
    if (!next || parsed.data.certificates.length === 0) return;
    if (seenMarkers.has(next)) {
      throw shapeError(
        "elb",
        operation,
        "paging loops: next_marker was already followed",
        response.requestId,
      );
    }
    seenMarkers.add(next);
    marker = next;
  }
  throw shapeError("elb", operation, `paging did not end within ${ELB_MAX_PAGES} pages`, null);
}

/** One certificate by id. A 404 surfaces as CloudApiError with reason `not_found`. */
export async function showElbCertificate(
  context: ElbApiContext,
  certificateId: string,
): Promise<ElbCertificate> {
  const operation = "show_certificate";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/elb/certificates/${encodeURIComponent(certificateId)}`;
  const response = await context.client.getJson({
    service: "elb",
    operation,
    url,
    signal: context.signal,
  });
  const envelope = showResponseSchema.safeParse(response.body);
  const info = envelope.success ? certificateInfoSchema.safeParse(envelope.data.certificate) : null;
  if (!envelope.success || !info?.success) {
    const error = envelope.success ? info?.error : envelope.error;
    throw shapeError(
      "elb",
      operation,
      error ? describeIssues(error) : "unexpected body",
      response.requestId,
    );
  }
  if (info.data.id !== certificateId) {
    throw shapeError(
      "elb",
      operation,
      "the answer is for another certificate id",
      response.requestId,
    );
  }
  return toCertificate(info.data);
}
