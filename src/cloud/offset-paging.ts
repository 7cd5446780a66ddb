// Offset paging shared by the list APIs that page by `offset` and `limit` (GeminiDB instances,
// Cloud Certificate Manager certificates). The offset advances by what each page held (a server
// may cap the page size); paging stops at total_count, on an empty page, or on a short page
// when the answer has no total_count. A server that misbehaves (repeated ids, endless pages,
// too many records) is stopped with an `api_shape` CloudApiError. Entries that are off-contract
// are skipped and reported; a page that is off-contract fails the whole listing.

import { z } from "zod";
import type { CloudService } from "./errors.js";
import type { CloudClient } from "./http/client.js";
import { readPageEntries, type EntryRules, type ShapeProblemHandler } from "./page-entries.js";
import { readJson } from "./read-json.js";
import { shapeError } from "./shape.js";

export interface OffsetListing<Entry extends { readonly id: string }, Value> extends EntryRules<
  Entry,
  Value
> {
  readonly service: CloudService;
  /** Operation name for errors and request metrics, e.g. `list_instances`. */
  readonly operation: string;
  readonly url: string;
  /** Query parameters besides offset and limit. */
  readonly query?: Readonly<Record<string, string>>;
  /** The response's array field, also the plural noun in error details ("instances"). */
  readonly collection: string;
  /** The `limit` asked for; a short page ends paging when there is no total_count. */
  readonly pageLimit: number;
  /** Stops a server that never stops paging (with maxRecords). */
  readonly maxPages: number;
}

export interface PagingContext {
  readonly client: CloudClient;
  readonly signal?: AbortSignal | undefined;
}

/** Each page's values as soon as the page is read. */
export async function* listOffsetPages<Entry extends { readonly id: string }, Value>(
  context: PagingContext,
  listing: OffsetListing<Entry, Value>,
  onShapeProblem: ShapeProblemHandler,
): AsyncGenerator<Value[], void, undefined> {
  const { service, operation, collection } = listing;
  const responseSchema = z.object({
    [collection]: z.array(z.unknown()),
    total_count: z.number().int().nonnegative().nullish(),
  });
  const seen = new Set<string>();
  let offset = 0;
  for (let page = 0; page < listing.maxPages; page++) {
    const searchParams = new URLSearchParams({
      ...listing.query,
      offset: String(offset),
      limit: String(listing.pageLimit),
    });
    const { data, requestId } = await readJson(
      context.client,
      { service, operation, url: listing.url, searchParams, signal: context.signal },
      responseSchema,
    );
    const entries = data[collection] as unknown[];
    const values = readPageEntries(
      entries,
      { service, operation, noun: collection, requestId },
      listing,
      seen,
      onShapeProblem,
    );
    yield values;
    offset += entries.length;
    // The computed key widens the inferred type; the schema checked this field.
    const total = data.total_count as number | null | undefined;
    if (entries.length === 0) return;
    if (total === null || total === undefined) {
      if (entries.length < listing.pageLimit) return;
    } else if (offset >= total) {
      return;
    }
  }
  throw shapeError(
    service,
    operation,
    `paging did not end within ${String(listing.maxPages)} pages`,
    null,
  );
}

/** Every page's values, all pages read. */
export async function listAllOffsetPages<Value>(
  pages: AsyncGenerator<Value[], void, undefined>,
): Promise<Value[]> {
  const values: Value[] = [];
  for await (const page of pages) values.push(...page);
  return values;
}
