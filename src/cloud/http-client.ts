// The one got instance every API call goes through: explicit per-attempt timeout, bounded
// retries with exponential backoff and jitter on network errors, 5xx and 429 (Retry-After
// honoured up to a cap), credentials added per attempt by the Authenticator, each attempt
// reported to an observer, and every failure mapped to CloudApiError. Bodies are parsed with a
// reviver that drops private keys while the JSON is read, so they never exist as a value.

import got, { HTTPError, type Got, type Options } from "got";
import type { Authenticator } from "./auth.js";
import { CloudApiError, mapRequestError, requestIdOf, type CloudService } from "./errors.js";

/** Fields removed during JSON parsing: the ELB API echoes certificates' private keys. */
const DROPPED_FIELDS = new Set(["private_key", "enc_private_key"]);

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
  /** Called once per HTTP attempt, retries included. */
  readonly onAttempt?: (attempt: AttemptRecord) => void;
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
  readonly signal?: AbortSignal;
}

export interface JsonResponse {
  readonly body: unknown;
  readonly requestId: string | null;
}

export interface CloudClient {
  /** GETs a JSON document; throws CloudApiError on any failure. */
  getJson(request: JsonRequest): Promise<JsonResponse>;
}

interface RequestContext extends Record<string, unknown> {
  service: CloudService;
  operation: string;
}

function contextOf(options: Options): RequestContext {
  return options.context as RequestContext;
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const report = (context: RequestContext, code: string): void => {
    options.onAttempt?.({ service: context.service, operation: context.operation, code });
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
          const url =
            requestOptions.url instanceof URL
              ? requestOptions.url
              : new URL(String(requestOptions.url));
          const headers = await options.authenticator.headersFor({
            method: requestOptions.method,
            url,
            headers: requestOptions.headers,
            body: "",
          });
          for (const [name, value] of Object.entries(headers)) {
            requestOptions.headers[name.toLowerCase()] = value;
          }
        },
      ],
      afterResponse: [
        (response) => {
          report(contextOf(response.request.options), String(response.statusCode));
          return response;
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
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

  return {
    async getJson(request) {
      const context: RequestContext = { service: request.service, operation: request.operation };
      const mapContext = { ...context, timeoutMs: options.timeoutMs };
      let response;
      try {
        response = await instance.get(request.url, {
          searchParams: request.searchParams,
          context,
          signal: request.signal,
        });
      } catch (error) {
        if (!(error instanceof HTTPError)) report(context, "0");
        throw mapRequestError(error, mapContext);
      }
      const requestId = requestIdOf(response.headers);
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new CloudApiError({
          ...context,
          status: response.statusCode,
          reason: "api_shape",
          errorCode: null,
          requestId,
          detail: "unexpected status (redirects are not followed)",
        });
      }
      try {
        return { body: parseJsonWithoutSecrets(response.body), requestId };
      } catch {
        throw new CloudApiError({
          ...context,
          status: response.statusCode,
          reason: "api_shape",
          errorCode: null,
          requestId,
          detail: "response body is not valid JSON",
        });
      }
    },
  };
}

/** JSON.parse that drops private-key fields as they are read. */
export function parseJsonWithoutSecrets(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (DROPPED_FIELDS.has(key) ? undefined : value));
}
