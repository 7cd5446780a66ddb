// Marker paging shared by the ELB v3 list APIs (certificates, listeners): follows next_marker
// page by page and stops a server that misbehaves (repeated ids, marker loops, endless pages,
// too many records) with an `api_shape` CloudApiError. Entries that are off-contract are
// skipped and reported; a page that is off-contract fails the whole listing.

import { z } from "zod";
import type { ElbApiContext } from "./api.js";
import { readPageEntries, type ShapeProblemHandler } from "../../cloud/page-entries.js";
import { readJson } from "../../cloud/read-json.js";
import { shapeError } from "../../cloud/shape.js";

/** The API's maximum page size; servers may return fewer, so paging follows markers. */
export const ELB_PAGE_LIMIT = 2000;
/**
 * The page size asked for certificates. Each carries its PEM chain and echoed private key, so
 * a full page of 2,000 is 9-25 MB of JSON, parsed whole: at 500 a page is a quarter of that,
 * which bounds the daemon's memory peak, for 15 more requests per 10,000 certificates.
 */
export const ELB_CERTIFICATE_PAGE_LIMIT = 500;
/**
 * Stop a server that never stops paging, even one that hands out new records on every page
 * (repeats and marker loops are caught long before). Both bounds are far above any project's
 * quota, yet keep the worst case to 1,000 requests (100 s at the default rate limit) and
 * 20,000 records in one poll's state.
 */
export const ELB_MAX_PAGES = 1_000;
export const ELB_MAX_RECORDS = 20_000;

export interface ElbListing<Entry extends { readonly id: string }, Value> {
  /** Operation name for errors and request metrics, e.g. `list_certificates`. */
  readonly operation: string;
  /** Path after `/v3/{project_id}/elb/`, also the response's array field. */
  readonly collection: "certificates" | "listeners";
  /** The plural noun used in error details ("certificates"). */
  readonly noun: string;
  readonly entrySchema: z.ZodType<Entry>;
  readonly toValue: (entry: Entry) => Value;
  /** The `limit` asked for; at most ELB_PAGE_LIMIT. */
  readonly pageLimit: number;
}

const pageInfoSchema = z
  .object({
    next_marker: z.string().nullish(),
    current_count: z.number().nullish(),
  })
  .nullish();

export async function* listElbPages<Entry extends { readonly id: string }, Value>(
  context: ElbApiContext,
  listing: ElbListing<Entry, Value>,
  onShapeProblem: ShapeProblemHandler,
): AsyncGenerator<Value[], void, undefined> {
  const { operation, collection, noun } = listing;
  const url = `${context.endpoint}/v3/${encodeURIComponent(context.projectId)}/elb/${collection}`;
  const responseSchema = z.object({
    [collection]: z.array(z.unknown()),
    page_info: pageInfoSchema,
  });
  const seenIds = new Set<string>();
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  for (let page = 0; page < ELB_MAX_PAGES; page++) {
    const searchParams = new URLSearchParams({ limit: String(listing.pageLimit) });
    if (marker !== undefined) searchParams.set("marker", marker);
    const { data, requestId } = await readJson(
      context.client,
      { service: "elb", operation, url, searchParams, signal: context.signal },
      responseSchema,
    );
    const entries = (data[collection] ?? []) as unknown[];
    const pageInfo = data["page_info"] as z.infer<typeof pageInfoSchema>;
    const values = readPageEntries(
      entries,
      { service: "elb", operation, noun, requestId },
      { ...listing, maxRecords: ELB_MAX_RECORDS },
      seenIds,
      onShapeProblem,
    );
    yield values;
    const next = pageInfo?.next_marker;
    if (!next || entries.length === 0) return;
    if (seenMarkers.has(next)) {
      throw shapeError(
        "elb",
        operation,
        "paging loops: next_marker was already followed",
        requestId,
      );
    }
    seenMarkers.add(next);
    marker = next;
  }
  throw shapeError("elb", operation, `paging did not end within ${ELB_MAX_PAGES} pages`, null);
}
