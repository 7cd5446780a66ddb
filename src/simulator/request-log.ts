// The request log tests assert on: one entry per request, in arrival order, bounded in size.
// It records names and shapes only (header names, never values) and query strings with
// credentials already redacted by the caller, because tests print it when they fail.
import type { FaultKind, ServiceName } from "./faults.js";

export interface RequestLogEntry {
  readonly service: ServiceName;
  readonly method: string;
  /** Raw path as sent (still percent-encoded). */
  readonly path: string;
  /** Parsed query: a string per key, an array when the key repeats; credentials redacted. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** Response status; 0 while pending or when no response was sent (reset, hang). */
  readonly status: number;
  /** Lower-case request header names in the order sent. */
  readonly headerNames: readonly string[];
  /** Whether the request passed the service's authentication (token, AK/SK, OBS signature). */
  readonly authenticated: boolean;
  /** The fault injected into this request, if any. */
  readonly fault?: FaultKind;
  /** Arrival time, epoch milliseconds (simulator clock). */
  readonly at: number;
}

export type MutableLogEntry = { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] };

export interface RequestLog {
  readonly entries: readonly RequestLogEntry[];
  record(
    entry: Pick<RequestLogEntry, "service" | "method" | "path" | "query" | "headerNames">,
  ): MutableLogEntry;
  clear(): void;
}

export const REDACTED = "[REDACTED]";

export function createRequestLog(now: () => number, limit: number): RequestLog {
  let entries: MutableLogEntry[] = [];
  return {
    get entries() {
      return entries;
    },
    record(partial) {
      const entry: MutableLogEntry = { ...partial, status: 0, authenticated: false, at: now() };
      entries.push(entry);
      // Drop the older half in one go so a benchmark's long run stays O(1) amortised.
      if (entries.length > limit) entries = entries.slice(Math.floor(limit / 2));
      return entry;
    },
    clear() {
      entries = [];
    },
  };
}

/** URLSearchParams → plain object, masking the values of `secretKeys` (case-insensitive). */
export function queryForLog(
  query: URLSearchParams,
  secretKeys: ReadonlySet<string>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, rawValue] of query) {
    const value = secretKeys.has(key.toLowerCase()) ? REDACTED : rawValue;
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else out[key] = [previous, value];
  }
  return out;
}
