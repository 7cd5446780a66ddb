// The client every API call of a target goes through: an explicit deadline per attempt, a
// per-service rate limit, bounded retries with exponential backoff and jitter on connection
// failures, timeouts, 5xx and 429 (Retry-After honoured up to a cap), credentials added per
// attempt by the Authenticator (renewed once on a 401 when it can), each attempt reported to an
// observer, and every failure mapped to CloudApiError. Private keys are deleted from a parsed
// body before it leaves the parser, so no caller ever sees one.
//
// The transport is undici, the client Node's own fetch is built on, as for CA downloads: a
// 10,000-certificate poll makes about 1,100 calls and is bound by the daemon's CPU, and undici
// adds next to nothing per request over a bare node:http client (docs/performance.md has the
// numbers). The retry loop is written here, not taken from a retry helper, because every attempt
// needs what such helpers do not offer: a rate-limit slot, fresh credentials (an AK/SK signature
// carries its date), and one renewal after a 401.

import { setTimeout as sleep } from "node:timers/promises";
import pThrottle from "p-throttle";
import { Agent, request as undiciRequest, type Dispatcher } from "undici";
import type { Authenticator } from "./auth.js";
import { ACCEPTED_ENCODINGS, BodyTooLarge, contentLength, readCapped, single } from "./body.js";
import {
  answerError,
  CloudApiError,
  errorCodeOf,
  requestIdOf,
  transportError,
  type CloudService,
} from "./errors.js";

/**
 * Largest API response read (after decompression). The largest real answer, an ELB page of
 * 2,000 certificates with chains and echoed keys, is about 25 MB.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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

export interface AttemptRecord {
  readonly service: CloudService;
  readonly operation: string;
  /** HTTP status as text, "0" when no answer arrived. */
  readonly code: string;
}

export interface CloudClientOptions {
  readonly timeoutMs: number;
  readonly authenticator: Authenticator;
  readonly userAgent: string;
  readonly retry?: RetryPolicy;
  /** Largest response body read, in bytes; default MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** Most requests per second per service (each attempt counts); unlimited when absent. */
  readonly rateLimitPerSecond?: number;
  /** Called once per HTTP attempt, retries included. */
  readonly onAttempt?: (attempt: AttemptRecord) => void;
  /** Called for every 429 answer, also those a retry then got past. */
  readonly onThrottled?: (service: CloudService) => void;
  /**
   * Per service, what to check when its host cannot be reached: the settings that decide the
   * endpoint, e.g. `HWCERT_REGION or HWCERT_IAM_ENDPOINT`. Named in the error's message.
   */
  readonly hostHints?: Partial<Readonly<Record<CloudService, string>>>;
  /** Called before a retry is made (for debug logging). */
  readonly onRetry?: (info: {
    service: CloudService;
    operation: string;
    attempt: number;
    error: CloudApiError;
  }) => void;
}

export interface JsonRequest {
  readonly service: CloudService;
  readonly operation: string;
  readonly url: string;
  readonly searchParams?: URLSearchParams;
  readonly signal?: AbortSignal | undefined;
}

export interface FullJsonRequest extends JsonRequest {
  /** Default GET. POST is not retried (the IAM token request). */
  readonly method?: "GET" | "POST";
  readonly json?: unknown;
  /** false: send no credentials (default true). */
  readonly authenticate?: boolean;
}

export interface JsonResponse {
  readonly body: unknown;
  readonly requestId: string | null;
  /** One response header by lower-case name (never logged). */
  header(name: string): string | undefined;
}

export interface CloudClient {
  /** Sends a request and parses its JSON answer; throws CloudApiError on any failure. */
  requestJson(request: FullJsonRequest): Promise<JsonResponse>;
  /** requestJson for a plain authenticated GET. */
  getJson(request: JsonRequest): Promise<JsonResponse>;
}

/** Statuses worth another attempt: the server may answer differently a moment later. */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504, 521, 522, 524]);

/**
 * Connection failures worth another attempt: resets, refusals and lookups that may pass a
 * moment later. TLS failures and refused addresses are not among them.
 */
const RETRIED_CODES = new Set([
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

/**
 * Slack added to every interval: the server counts requests when they arrive, and network
 * jitter (a new connection takes longer than a kept-alive one) can bring the last of `limit`
 * requests tens of milliseconds closer to the first.
 */
const RATE_MARGIN_MS = 50;

function throttleFor(ratePerSecond: number): () => Promise<void> {
  const limit = ratePerSecond >= 1 ? Math.round(ratePerSecond) : 1;
  const interval = (ratePerSecond >= 1 ? 1000 : Math.round(1000 / ratePerSecond)) + RATE_MARGIN_MS;
  // strict: no window ever holds more than the limit (the default allows bursts at edges).
  const throttled = pThrottle({ limit, interval, strict: true })(() => Promise.resolve());
  return () => throttled();
}

/** Kept-alive connections shared by every client: API hosts are the same for all targets. */
let sharedAgent: Agent | undefined;

/** One attempt's outcome: an answer read whole, or a failure before one arrived. */
type Attempt =
  | {
      readonly answered: true;
      readonly status: number;
      readonly headers: Readonly<Record<string, string | string[] | undefined>>;
      readonly body: Buffer;
    }
  | { readonly answered: false; readonly error: CloudApiError; readonly retriable: boolean };

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const dispatcher: Dispatcher = (sharedAgent ??= new Agent());
  const throttles = new Map<CloudService, () => Promise<void>>();
  const waitForSlot = async (service: CloudService): Promise<void> => {
    if (options.rateLimitPerSecond === undefined) return;
    let throttle = throttles.get(service);
    if (throttle === undefined) {
      throttle = throttleFor(options.rateLimitPerSecond);
      throttles.set(service, throttle);
    }
    await throttle();
  };

  /** Sends one attempt and reads its answer whole, within the attempt's deadline. */
  const attempt = async (
    request: FullJsonRequest,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Attempt> => {
    const context = {
      service: request.service,
      operation: request.operation,
      timeoutMs: options.timeoutMs,
      host: url.host,
      hint: options.hostHints?.[request.service],
    };
    // One controller per attempt, aborted by the caller's signal or the deadline. Not
    // AbortSignal.any(): composites of a long-lived signal stay reachable until it aborts.
    const transfer = new AbortController();
    const onCallerAbort = (): void => {
      transfer.abort(request.signal?.reason);
    };
    request.signal?.addEventListener("abort", onCallerAbort, { once: true });
    /** Set by the deadline (an object, so the compiler sees it can change). */
    const clock = { timedOut: false };
    const deadline = setTimeout(() => {
      clock.timedOut = true;
      transfer.abort(new Error("deadline"));
    }, options.timeoutMs);
    try {
      const answer = await undiciRequest(url, {
        method: request.method ?? "GET",
        headers,
        body,
        dispatcher,
        signal: transfer.signal,
      });
      // A Content-Length over the cap stops the transfer before the body is read.
      const declared = contentLength(answer.headers["content-length"]);
      if (declared !== undefined && declared > maxBytes) {
        answer.body.destroy();
        throw new BodyTooLarge(0);
      }
      const encoding = single(answer.headers["content-encoding"]);
      const bytes = await readCapped(answer.body, encoding, maxBytes, declared);
      return { answered: true, status: answer.statusCode, headers: answer.headers, body: bytes };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      if (error instanceof BodyTooLarge) {
        // Bodies are read whole into memory: without the cap, a gateway or proxy answering
        // with an endless body or a gzip bomb grows the heap by gigabytes before the deadline.
        const tooLarge = new CloudApiError({
          service: request.service,
          operation: request.operation,
          status: 0,
          reason: "api_shape",
          errorCode: null,
          requestId: null,
          detail: `response larger than ${maxBytes} bytes; not read`,
        });
        return { answered: false, error: tooLarge, retriable: false };
      }
      const code = errorCodeOf(error);
      return {
        answered: false,
        error: transportError(error, context, clock.timedOut),
        retriable: clock.timedOut || (code !== null && RETRIED_CODES.has(code)),
      };
    } finally {
      clearTimeout(deadline);
      request.signal?.removeEventListener("abort", onCallerAbort);
    }
  };

  const requestJson = async (request: FullJsonRequest): Promise<JsonResponse> => {
    const method = request.method ?? "GET";
    const authenticate = request.authenticate ?? true;
    const url = new URL(request.url);
    if (request.searchParams !== undefined) url.search = request.searchParams.toString();
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const report = (code: string): void => {
      options.onAttempt?.({ service: request.service, operation: request.operation, code });
    };
    let renewed = false;
    for (let retries = 0; ;) {
      request.signal?.throwIfAborted();
      await waitForSlot(request.service);
      const headers: Record<string, string> = {
        "user-agent": options.userAgent,
        accept: "application/json",
        "accept-encoding": ACCEPTED_ENCODINGS,
      };
      if (body !== undefined) headers["content-type"] = "application/json;charset=UTF-8";
      if (authenticate) {
        // Header names lower-cased: renewAfterUnauthorized reads them back that way.
        const credentials = await options.authenticator.headersFor({
          method,
          url,
          body: body ?? "",
        });
        for (const [name, value] of Object.entries(credentials)) {
          headers[name.toLowerCase()] = value;
        }
      }
      const outcome = await attempt(request, url, headers, body);
      report(outcome.answered ? String(outcome.status) : "0");
      let failure: CloudApiError;
      let delayMs: number | undefined;
      if (outcome.answered) {
        const { status } = outcome;
        if (status >= 200 && status <= 299) return jsonResponse(request, outcome);
        if (status === 429) options.onThrottled?.(request.service);
        const { authenticator } = options;
        if (status === 401 && authenticate && !renewed && authenticator.renewAfterUnauthorized) {
          if (await authenticator.renewAfterUnauthorized(headers)) {
            // A renewal is not a failure: the request is sent once more with new credentials.
            renewed = true;
            continue;
          }
        }
        // Redirects are never followed: one would carry credentials to another host.
        if (status < 400) {
          throw new CloudApiError({
            service: request.service,
            operation: request.operation,
            status,
            reason: "api_shape",
            errorCode: null,
            requestId: requestIdOf(outcome.headers),
            detail: "unexpected status (redirects are not followed)",
          });
        }
        failure = answerError(request, status, outcome.headers, outcome.body.toString("utf8"));
        if (!RETRIED_STATUSES.has(status)) throw failure;
        const retryAfter = retryAfterMs(single(outcome.headers["retry-after"]));
        // A server asking for a longer pause than the cap gets it: this poll gives up instead.
        if (retryAfter !== undefined && retryAfter > retry.maxRetryAfterMs) throw failure;
        delayMs = retryAfter;
      } else {
        if (!outcome.retriable) throw outcome.error;
        failure = outcome.error;
      }
      // POST (the IAM token request) is never repeated: it is not idempotent.
      if (method !== "GET" || retries >= retry.limit) throw failure;
      retries++;
      options.onRetry?.({
        service: request.service,
        operation: request.operation,
        attempt: retries,
        error: failure,
      });
      try {
        await sleep(delayMs ?? backoffDelay(retry, retries), undefined, { signal: request.signal });
      } catch (error) {
        // Cancelled while waiting: end with the caller's reason, as during an attempt.
        request.signal?.throwIfAborted();
        throw error;
      }
    }
  };

  return { requestJson, getJson: (request) => requestJson(request) };
}

/** A 2xx answer's body as JSON, private keys already gone. */
function jsonResponse(
  request: FullJsonRequest,
  answer: Extract<Attempt, { answered: true }>,
): JsonResponse {
  const requestId = requestIdOf(answer.headers);
  let body: unknown;
  try {
    body = parseJsonWithoutSecrets(answer.body.toString("utf8"));
  } catch {
    throw new CloudApiError({
      service: request.service,
      operation: request.operation,
      status: answer.status,
      reason: "api_shape",
      errorCode: null,
      requestId,
      detail: "response body is not valid JSON",
    });
  }
  const { headers } = answer;
  return { body, requestId, header: (name) => single(headers[name.toLowerCase()]) };
}

/**
 * JSON.parse, then private-key fields deleted at every depth before the value is handed on.
 * Twice as fast as a reviver (which V8 calls for every value, with a context object each): on
 * a page of 500 ELB certificates, 2.8 ms instead of 6.4 ms, and a third of the garbage.
 */
export function parseJsonWithoutSecrets(text: string): unknown {
  const root: unknown = JSON.parse(text);
  // An explicit stack, not recursion: a hostile body may nest deeper than the call stack.
  const pending: object[] = typeof root === "object" && root !== null ? [root] : [];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (typeof item === "object" && item !== null) pending.push(item);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const child = record[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
    if (Object.hasOwn(record, "private_key")) delete record["private_key"];
    if (Object.hasOwn(record, "enc_private_key")) delete record["enc_private_key"];
  }
  return root;
}
