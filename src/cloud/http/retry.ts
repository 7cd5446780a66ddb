// When the cloud client tries an API request again, and how long it waits first: which statuses
// and connection failures are worth another attempt, exponential backoff with jitter, and a
// server's Retry-After (honoured up to a cap). Pure: the client's loop does the waiting.

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly limit: number;
  /** First backoff delay; doubles per retry. */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  readonly backoffLimitMs: number;
  /** A Retry-After longer than this gives up instead of waiting. */
  readonly maxRetryAfterMs: number;
}

/** Huawei advises 2-5 s between retries after throttling, with exponential backoff and jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  baseDelayMs: 2_000,
  backoffLimitMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so clients that
 * failed together do not retry together. A server's Retry-After wins over it.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attemptCount: number,
  random = Math.random(),
): number {
  const exponential = Math.min(policy.backoffLimitMs, policy.baseDelayMs * 2 ** (attemptCount - 1));
  return Math.round(exponential / 2 + (random * exponential) / 2);
}

/** Statuses worth another attempt: the server may answer differently a moment later. */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([
  408, 429, 500, 502, 503, 504, 521, 522, 524,
]);

/**
 * Connection failures worth another attempt: resets, refusals and lookups that may pass a
 * moment later. TLS failures and refused addresses are not among them.
 */
export const RETRIED_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "EADDRINUSE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * A Retry-After value in milliseconds: delta seconds or an HTTP date (a past one is 0);
 * undefined when absent or unreadable (then the client's own backoff applies).
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP date form starts with the day's name; Date.parse alone also reads "-1" as 2001.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
