// ELB v3 certificate API: list (marker paging) and details. Turns responses into typed
// ElbCertificate values or CloudApiError (`api_shape` for anything off-contract). Private keys
// never get this far: the client drops them while parsing JSON. Knows nothing of metrics.

import { z } from "zod";
import type { CloudClient } from "../../cloud/http/client.js";
import type { ShapeProblemHandler } from "../../cloud/page-entries.js";
import { ELB_CERTIFICATE_PAGE_LIMIT, listElbPages } from "./paging.js";
import { readJson } from "../../cloud/read-json.js";
import { describeIssues, shapeError } from "../../cloud/shape.js";

export interface ElbCertificate {
  readonly id: string;
  readonly name: string;
  /** `server`, `client` (a CA certificate) or `server_sm`, as the API says. */
  readonly type: string;
  /** The API's expire_time, unparsed (two formats exist; see api-time.ts). */
  readonly expireTime: string | null;
  /** The certificate PEM (leaf and chain); null when the response did not include it. */
  readonly certificatePem: string | null;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
  /** `scm` when Cloud Certificate Manager manages the certificate; `""` when uploaded. */
  readonly source: string;
  /** The CCM certificate id behind it; null when none. */
  readonly scmCertificateId: string | null;
}

export interface ElbApiContext {
  readonly client: CloudClient;
  /** Base URL of the ELB endpoint, without trailing slash. */
  readonly endpoint: string;
  readonly projectId: string;
  readonly signal?: AbortSignal;
}

const certificateInfoSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  type: z.string().nullish(),
  certificate: z.string().nullish(),
  expire_time: z.string().nullish(),
  enterprise_project_id: z.string().nullish(),
  source: z.string().nullish(),
  scm_certificate_id: z.string().nullish(),
});

const showResponseSchema = z.object({ certificate: z.unknown() });

function toCertificate(info: z.infer<typeof certificateInfoSchema>): ElbCertificate {
  return {
    id: info.id,
    name: info.name ?? "",
    type: info.type ?? "",
    expireTime: info.expire_time ?? null,
    certificatePem: info.certificate ?? null,
    enterpriseProjectId: info.enterprise_project_id ?? "",
    source: info.source ?? "",
    scmCertificateId: info.scm_certificate_id ? info.scm_certificate_id : null,
  };
}

/**
 * Every certificate of the project, page by page, following next_marker to the last page.
 * Pages are yielded as they arrive so a caller can digest each (and let its PEM text go)
 * before the next one is fetched; a failure on any page throws, and the caller must then
 * treat the whole listing as failed.
 */
export function listElbCertificatePages(
  context: ElbApiContext,
  onShapeProblem: ShapeProblemHandler,
): AsyncGenerator<ElbCertificate[], void, undefined> {
  return listElbPages(
    context,
    {
      operation: "list_certificates",
      collection: "certificates",
      noun: "certificates",
      entrySchema: certificateInfoSchema,
      toValue: toCertificate,
      pageLimit: ELB_CERTIFICATE_PAGE_LIMIT,
    },
    onShapeProblem,
  );
}

/** One certificate by id. A 404 surfaces as CloudApiError with reason `not_found`. */
export async function showElbCertificate(
  context: ElbApiContext,
  certificateId: string,
): Promise<ElbCertificate> {
  const operation = "show_certificate";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/elb/certificates/${encodeURIComponent(certificateId)}`;
  const { data, requestId } = await readJson(
    context.client,
    { service: "elb", operation, url, signal: context.signal },
    showResponseSchema,
  );
  const info = certificateInfoSchema.safeParse(data.certificate);
  if (!info.success) {
    throw shapeError("elb", operation, describeIssues(info.error), requestId);
  }
  if (info.data.id !== certificateId) {
    throw shapeError("elb", operation, "the answer is for another certificate id", requestId);
  }
  return toCertificate(info.data);
}
