// ELB v3 certificate API: list (marker paging) and details. Turns responses into typed
// ElbCertificate values or CloudApiError (`api_shape` for anything off-contract). Private keys
// never get this far: the client drops them while parsing JSON. Knows nothing of metrics.

import { z } from "zod";
import type { CloudClient } from "./http-client.js";
import { CloudApiError } from "./errors.js";

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
/** Stops a server that never stops paging. 10,000 pages covers millions of certificates. */
export const ELB_MAX_PAGES = 10_000;

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

function shapeError(operation: string, detail: string, requestId: string | null): CloudApiError {
  return new CloudApiError({
    service: "elb",
    operation,
    status: 200,
    reason: "api_shape",
    errorCode: null,
    requestId,
    detail,
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}

/** Every certificate of the project, following next_marker to the last page. */
export async function listElbCertificates(
  context: ElbApiContext,
  onShapeProblem: ShapeProblemHandler,
): Promise<ElbCertificate[]> {
  const operation = "list_certificates";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/elb/certificates`;
  const certificates: ElbCertificate[] = [];
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
      throw shapeError(operation, describeIssues(parsed.error), response.requestId);
    }
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
          operation,
          "paging repeats certificates already listed",
          response.requestId,
        );
      }
      seenIds.add(info.data.id);
      certificates.push(toCertificate(info.data));
    }
    const next = parsed.data.page_info?.next_marker;
    if (!next || parsed.data.certificates.length === 0) return certificates;
    if (seenMarkers.has(next)) {
      throw shapeError(
        operation,
        "paging loops: next_marker was already followed",
        response.requestId,
      );
    }
    seenMarkers.add(next);
    marker = next;
  }
  throw shapeError(operation, `paging did not end within ${ELB_MAX_PAGES} pages`, null);
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
      operation,
      error ? describeIssues(error) : "unexpected body",
      response.requestId,
    );
  }
  if (info.data.id !== certificateId) {
    throw shapeError(operation, "the answer is for another certificate id", response.requestId);
  }
  return toCertificate(info.data);
}
