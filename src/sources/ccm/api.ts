// Cloud Certificate Manager (SSL certificates; the API's and SDK's name is SCM), a global service:
// the certificate list (offset paging to total_count, every status) and one certificate's
// details, whose not_before / not_after are the expiry this exporter trusts (the list's
// expire_time carries no zone). Typed values or CloudApiError (`api_shape` for anything
// off-contract). Never calls the export API: it answers with the private key.

import { z } from "zod";
import type { CloudClient } from "../../cloud/http/client.js";
import { listAllOffsetPages, listOffsetPages } from "../../cloud/offset-paging.js";
import type { ShapeProblemHandler } from "../../cloud/page-entries.js";
import { readJson } from "../../cloud/read-json.js";
import { shapeError } from "../../cloud/shape.js";

export interface CcmCertificate {
  readonly id: string;
  readonly name: string;
  /** The main domain name. */
  readonly domain: string;
  /** Additional domain names, as the API writes them (one string). */
  readonly sans: string;
  /** e.g. DV_SSL_CERT, OV_SSL_CERT. */
  readonly type: string;
  /** e.g. GEOTRUST, DIGICERT. */
  readonly brand: string;
  readonly signatureAlgorithm: string;
  /** The raw status, e.g. ISSUED, EXPIRED, REVOKED, PAID, CHECKING, UPLOAD. */
  readonly status: string;
  /** The list's expire_time, unparsed and untrusted (no zone): only a change signal. */
  readonly expireTime: string;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
}

export interface CcmCertificateDetails {
  readonly id: string;
  /** Raw not_before / not_after (text or epoch); null when absent or empty (not issued yet). */
  readonly notBefore: string | number | null;
  readonly notAfter: string | number | null;
}

export interface CcmApiContext {
  readonly client: CloudClient;
  /** Base URL of the CCM endpoint, without trailing slash. */
  readonly endpoint: string;
  readonly signal?: AbortSignal;
}

/** The largest page the API accepts (it allows 10, 20 or 50). */
export const CCM_PAGE_LIMIT = 50;
/**
 * Stop a server that never stops paging, even one that hands out new records on every page
 * (repeated ids are caught long before): at most 200 list requests (20 s at the default rate
 * limit) and 10,000 certificates, far above an account's certificate quota.
 */
export const CCM_MAX_PAGES = 200;
export const CCM_MAX_CERTIFICATES = 10_000;

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? "" : String(value)));

const sansSchema = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((value) => (Array.isArray(value) ? value.join(",") : (value ?? "")));

const certificateSchema = z.object({
  id: z.string().min(1),
  name: text,
  domain: text,
  sans: sansSchema,
  type: text,
  brand: text,
  signature_algorithm: text,
  /** Older answers spell it so (the SDK models still carry both). */
  signature_algrithm: text,
  status: text,
  expire_time: text,
  enterprise_project_id: text,
});

const timeSchema = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) =>
    value === null || value === undefined || (typeof value === "string" && value.trim() === "")
      ? null
      : value,
  );

const detailsSchema = z.object({
  id: z.string().min(1),
  not_before: timeSchema,
  not_after: timeSchema,
});

function toCertificate(info: z.infer<typeof certificateSchema>): CcmCertificate {
  return {
    id: info.id,
    name: info.name,
    domain: info.domain,
    sans: info.sans,
    type: info.type,
    brand: info.brand,
    signatureAlgorithm: info.signature_algorithm || info.signature_algrithm,
    status: info.status,
    expireTime: info.expire_time,
    enterpriseProjectId: info.enterprise_project_id,
  };
}

/**
 * Every SSL certificate of the account, whatever its status (`status=ALL`), all pages read; see
 * offset-paging.ts for how paging ends.
 */
export function listCcmCertificates(
  context: CcmApiContext,
  onShapeProblem: ShapeProblemHandler,
): Promise<CcmCertificate[]> {
  return listAllOffsetPages(
    listOffsetPages(
      context,
      {
        service: "ccm",
        operation: "list_certificates",
        url: `${context.endpoint}/v3/scm/certificates`,
        query: { status: "ALL" },
        collection: "certificates",
        pageLimit: CCM_PAGE_LIMIT,
        maxPages: CCM_MAX_PAGES,
        maxRecords: CCM_MAX_CERTIFICATES,
        entrySchema: certificateSchema,
        toValue: toCertificate,
      },
      onShapeProblem,
    ),
  );
}

/** One certificate's details (validity). A 404 surfaces as CloudApiError `not_found`. */
export async function showCcmCertificate(
  context: CcmApiContext,
  certificateId: string,
): Promise<CcmCertificateDetails> {
  const operation = "show_certificate";
  const url = `${context.endpoint}/v3/scm/certificates/${encodeURIComponent(certificateId)}`;
  const { data, requestId } = await readJson(
    context.client,
    { service: "ccm", operation, url, signal: context.signal },
    detailsSchema,
  );
  if (data.id !== certificateId) {
    throw shapeError("ccm", operation, "the answer is for another certificate id", requestId);
  }
  return { id: data.id, notBefore: data.not_before, notAfter: data.not_after };
}
