// GeminiDB (GaussDB NoSQL) v3 API: the instance list (offset/limit paging to total_count) and
// the SSL CA download-link call. Turns responses into typed values or CloudApiError
// (`api_shape` for anything off-contract). Never fetches the links themselves (download.ts).

import { z } from "zod";
import type { CloudClient } from "../../cloud/http/client.js";
import { listAllOffsetPages, listOffsetPages } from "../../cloud/offset-paging.js";
import type { ShapeProblemHandler } from "../../cloud/page-entries.js";
import { readJson } from "../../cloud/read-json.js";
import { readTags, type ResourceTag } from "../../cloud/tags.js";

export interface GeminiDbInstance {
  readonly id: string;
  readonly name: string;
  /** `cassandra`, `mongodb`, `influxdb`, `redis`, lower-cased. */
  readonly datastoreType: string;
  /** `"1"` SSL on, `"0"` off, null when the API does not say (older API versions). */
  readonly ssl: "0" | "1" | null;
  /** Set when the instance uses a certificate from Cloud Certificate Manager. */
  readonly ccmCertificateId: string | null;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
}

export interface DownloadLink {
  readonly category: string;
  /** A pre-signed URL: its query is a credential. */
  readonly url: string;
}

export interface GeminiDbApiContext {
  readonly client: CloudClient;
  readonly endpoint: string;
  readonly projectId: string;
  readonly signal?: AbortSignal;
}

export const GEMINIDB_PAGE_LIMIT = 100;
/**
 * Stop a server that never stops paging, even one that hands out new records on every page
 * (repeats are caught long before). Far above any project's instance quota, yet a poll that
 * met such a server costs at most 1,000 list requests and never probes what it listed.
 */
export const GEMINIDB_MAX_PAGES = 1_000;
export const GEMINIDB_MAX_INSTANCES = 10_000;

const sslSchema = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((value): "0" | "1" | null => {
    if (value === true || value === 1 || value === "1" || value === "true") return "1";
    if (value === false || value === 0 || value === "0" || value === "false") return "0";
    return null;
  });

const instanceSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  datastore: z.object({ type: z.string().nullish() }).nullish(),
  ssl: sslSchema,
  ccm_cert_info: z.object({ cert_id: z.string().nullish() }).nullish(),
  enterprise_project_id: z.string().nullish(),
});

const linksSchema = z.object({
  certs: z.array(
    z.object({
      category: z.string().nullish(),
      download_link: z.string().min(1),
    }),
  ),
});

function toInstance(info: z.infer<typeof instanceSchema>): GeminiDbInstance {
  const ccm = info.ccm_cert_info;
  return {
    id: info.id,
    name: info.name ?? "",
    datastoreType: (info.datastore?.type ?? "").toLowerCase(),
    ssl: info.ssl,
    ccmCertificateId: ccm ? (ccm.cert_id ?? "") : null,
    enterpriseProjectId: info.enterprise_project_id ?? "",
  };
}

/**
 * Instances of the project (or the one `filterId` names), each page as soon as it is read;
 * see offset-paging.ts for how paging ends.
 */
export function listGeminiDbInstancePages(
  context: GeminiDbApiContext,
  onShapeProblem: ShapeProblemHandler,
  filterId?: string,
): AsyncGenerator<GeminiDbInstance[], void, undefined> {
  return listOffsetPages(
    context,
    {
      service: "geminidb",
      operation: "list_instances",
      url: `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/instances`,
      ...(filterId === undefined ? {} : { query: { id: filterId } }),
      collection: "instances",
      pageLimit: GEMINIDB_PAGE_LIMIT,
      maxPages: GEMINIDB_MAX_PAGES,
      maxRecords: GEMINIDB_MAX_INSTANCES,
      entrySchema: instanceSchema,
      toValue: toInstance,
    },
    onShapeProblem,
  );
}

/** Every instance of the project (or the one `filterId` names), all pages read. */
export function listGeminiDbInstances(
  context: GeminiDbApiContext,
  onShapeProblem: ShapeProblemHandler,
  filterId?: string,
): Promise<GeminiDbInstance[]> {
  return listAllOffsetPages(listGeminiDbInstancePages(context, onShapeProblem, filterId));
}

/** The CA download links of one instance (`certs[]`; may be empty). */
export async function showSslCertDownloadLinks(
  context: GeminiDbApiContext,
  instanceId: string,
): Promise<DownloadLink[]> {
  const operation = "show_ssl_cert_download_link";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/instances/${encodeURIComponent(instanceId)}/ssl-cert/download-link`;
  const { data } = await readJson(
    context.client,
    { service: "geminidb", operation, url, signal: context.signal },
    linksSchema,
  );
  return data.certs.map((cert) => ({
    category: cert.category ?? "",
    url: cert.download_link,
  }));
}

const tagsSchema = z.object({ tags: z.array(z.unknown()) });

/** The tags of one instance (`GET …/instances/{id}/tags`); malformed entries left out. */
export async function listGeminiDbInstanceTags(
  context: GeminiDbApiContext,
  instanceId: string,
): Promise<ResourceTag[]> {
  const operation = "list_instance_tags";
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/instances/${encodeURIComponent(instanceId)}/tags`;
  const { data } = await readJson(
    context.client,
    { service: "geminidb", operation, url, signal: context.signal },
    tagsSchema,
  );
  return readTags(data.tags);
}
