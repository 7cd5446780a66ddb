// The one got instance every API call of a target goes through: explicit per-attempt timeout,
// a per-service rate limit, bounded retries with exponential backoff and jitter on network
// errors, 5xx and 429 (Retry-After honoured up to a cap), credentials added per attempt by the
// Authenticator (renewed once on a 401 when it can), each attempt reported to an observer, and
// every failure mapped to CloudApiError. Private keys are deleted from a parsed body before it
// leaves the parser, so no caller ever sees one.

import got, { HTTPError, type Got } from "got";
import pThrottle from "p-throttle";
import type { Authenticator } from "./auth.js";
import { CloudApiError, mapRequestError, requestIdOf, type CloudService } from "./errors.js";

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
 * failed together do not retry together. A server's Retry-After wins (got already computed it).
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

interface RequestContext extends Record<string, unknown> {
  service: CloudService;
  operation: string;
  authenticate: boolean;
  /** Set once credentials were renewed after a 401, so a request renews at most once. */
  renewed: boolean;
}

function contextOf(options: {
  readonly context: Readonly<Record<string, unknown>>;
}): RequestContext {
  return options.context as RequestContext;
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

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const report = (context: RequestContext, code: string): void => {
    options.onAttempt?.({ service: context.service, operation: context.operation, code });
  };
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

  const instance: Got = got.extend({
    timeout: { request: options.timeoutMs },
    retry: {
      limit: retry.limit,
      methods: ["GET"],
      statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
      maxRetryAfter: retry.maxRetryAfterMs,
      calculateDelay: ({ attemptCount, error, computedValue }) => {
        if (computedValue === 0) return 0;
        if (error.response?.headers["retry-after"] !== undefined) return computedValue;
        return backoffDelay(retry, attemptCount);
      },
    },
    // API calls never follow redirects: a redirect would carry credentials to another host.
    followRedirect: false,
    throwHttpErrors: true,
    responseType: "text",
    headers: { "user-agent": options.userAgent, accept: "application/json" },
    hooks: {
      beforeRequest: [
        async (requestOptions) => {
          const context = contextOf(requestOptions);
          await waitForSlot(context.service);
          if (!context.authenticate) return;
          const url =
            requestOptions.url instanceof URL
              ? requestOptions.url
              : new URL(String(requestOptions.url));
          const body = typeof requestOptions.body === "string" ? requestOptions.body : "";
          const headers = await options.authenticator.headersFor({
            method: requestOptions.method,
            url,
            body,
          });
          for (const [name, value] of Object.entries(headers)) {
            requestOptions.headers[name.toLowerCase()] = value;
          }
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          const context = contextOf(response.request.options);
          report(context, String(response.statusCode));
          if (response.statusCode === 429) options.onThrottled?.(context.service);
          const { authenticator } = options;
          if (
            response.statusCode === 401 &&
            context.authenticate &&
            !context.renewed &&
            authenticator.renewAfterUnauthorized
          ) {
            if (await authenticator.renewAfterUnauthorized(response.request.options.headers)) {
              context.renewed = true;
              // got's retry function rejects with its retry signal: hand that back to got.
              return retryWithMergedOptions({ preserveHooks: true });
            }
          }
          return response;
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
          // A renewal retry (above) is not a failure.
          if (error.code === "ERR_RETRYING") return;
          const context = contextOf(error.options);
          // HTTP answers were counted by afterResponse; this counts attempts that got none.
          if (!(error instanceof HTTPError)) report(context, "0");
          options.onRetry?.({
            service: context.service,
            operation: context.operation,
            attempt: retryCount,
            error: mapRequestError(error, { ...context, timeoutMs: options.timeoutMs }),
          });
        },
      ],
    },
  });

  const requestJson = async (request: FullJsonRequest): Promise<JsonResponse> => {
    const context: RequestContext = {
      service: request.service,
      operation: request.operation,
      authenticate: request.authenticate ?? true,
      renewed: false,
    };
    const mapContext = {
      service: request.service,
      operation: request.operation,
      timeoutMs: options.timeoutMs,
    };
    // got reads a whole body into memory, decompressed; without a cap, a gateway or proxy that
    // answers with an endless body or a gzip bomb grew the heap by gigabytes before the timeout
    // (found by test/resilience/fault-matrix.test.ts). The cap counts decompressed bytes per
    // attempt and aborts through a controller of this request's own: the caller's signal is
    // linked by hand, since AbortSignal.any() composites of a long-lived signal are never freed.
    const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const transfer = new AbortController();
    const onCallerAbort = (): void => {
      transfer.abort(request.signal?.reason);
    };
    if (request.signal?.aborted) onCallerAbort();
    request.signal?.addEventListener("abort", onCallerAbort, { once: true });
    /** Set by the progress listener (an object, so the compiler sees it can change). */
    const cap = { exceeded: false };
    let response;
    try {
      const pending = instance(request.url, {
        method: request.method ?? "GET",
        searchParams: request.searchParams,
        ...(request.json === undefined ? {} : { json: request.json }),
        context,
        signal: transfer.signal,
      });
      void pending.on("downloadProgress", (progress: { transferred: number; total?: number }) => {
        if (!cap.exceeded && (progress.transferred > limit || (progress.total ?? 0) > limit)) {
          cap.exceeded = true;
          transfer.abort();
        }
      });
      response = await pending;
    } catch (error) {
      if (!(error instanceof HTTPError)) report(context, "0");
      if (cap.exceeded) {
        throw new CloudApiError({
          ...mapContext,
          status: 0,
          reason: "api_shape",
          errorCode: null,
          requestId: null,
          detail: `response larger than ${limit} bytes; not read`,
        });
      }
      throw mapRequestError(error, mapContext);
    } finally {
      request.signal?.removeEventListener("abort", onCallerAbort);
    }
    const requestId = requestIdOf(response.headers);
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new CloudApiError({
        ...mapContext,
        status: response.statusCode,
        reason: "api_shape",
        errorCode: null,
        requestId,
        detail: "unexpected status (redirects are not followed)",
      });
    }
    let body: unknown;
    try {
      body = parseJsonWithoutSecrets(response.body);
    } catch {
      throw new CloudApiError({
        ...mapContext,
        status: response.statusCode,
        reason: "api_shape",
        errorCode: null,
        requestId,
        detail: "response body is not valid JSON",
      });
    }
    const headers = response.headers;
    return {
      body,
      requestId,
      header: (name) => {
        const value = headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
    };
  };

  return { requestJson, getJson: (request) => requestJson(request) };
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
