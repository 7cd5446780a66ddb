// The entries of one list page, shared by the marker (sources/elb/paging.ts) and offset
// (offset-paging.ts) pagers: each entry checked against its schema, off-contract ones skipped
// and reported, and a listing that repeats ids or grows past its bound failed with `api_shape`.

import type { z } from "zod";
import type { CloudService } from "./errors.js";
import { describeIssues, shapeError } from "./shape.js";

export interface PageContext {
  readonly service: CloudService;
  readonly operation: string;
  /** The plural noun used in error details ("certificates"). */
  readonly noun: string;
  readonly requestId: string | null;
}

/** Told of each list entry that is off-contract and skipped. */
export type ShapeProblemHandler = (problem: { operation: string; detail: string }) => void;

export interface EntryRules<Entry extends { readonly id: string }, Value> {
  readonly entrySchema: z.ZodType<Entry>;
  readonly toValue: (entry: Entry) => Value;
  /** Most records one listing may hold. */
  readonly maxRecords: number;
}

/**
 * One page's entries as values. `seen` holds the ids of the listing's earlier pages: a server
 * that hands out fresh markers or offsets forever cycles through the same records, and a
 * repeated id is the reliable sign, long before the page bound.
 */
export function readPageEntries<Entry extends { readonly id: string }, Value>(
  entries: readonly unknown[],
  page: PageContext,
  rules: EntryRules<Entry, Value>,
  seen: Set<string>,
  onShapeProblem: ShapeProblemHandler,
): Value[] {
  const { service, operation, noun, requestId } = page;
  const values: Value[] = [];
  for (const item of entries) {
    const entry = rules.entrySchema.safeParse(item);
    if (!entry.success) {
      onShapeProblem({ operation, detail: describeIssues(entry.error) });
      continue;
    }
    if (seen.has(entry.data.id)) {
      throw shapeError(service, operation, `paging repeats ${noun} already listed`, requestId);
    }
    seen.add(entry.data.id);
    values.push(rules.toValue(entry.data));
  }
  if (seen.size > rules.maxRecords) {
    throw shapeError(
      service,
      operation,
      `paging lists more than ${String(rules.maxRecords)} ${noun}`,
      requestId,
    );
  }
  return values;
}
