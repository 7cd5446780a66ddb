// The client every API call of a target goes through: an explicit deadline per attempt, a
// per-service rate limit (rate-limit.ts), bounded retries with backoff (retry.ts), credentials
// added per attempt by the Authenticator (renewed once on a 401 when it can), each attempt
// reported to an observer, and every failure mapped to CloudApiError. Private keys are deleted
// from a parsed body before it leaves json-body.ts, so no caller ever sees one. The connection
// pool is the caller's: it is passed in and closed by whoever made it, never here.
//
// The transport is undici, the client Node's own fetch is built on, as for CA downloads: a
// 10,000-certificate poll makes about 1,100 calls and is bound by the daemon's CPU, and undici
// adds next to nothing per request over a bare node:http client (docs/performance.md has the
// numbers). The retry loop is written here, not taken from a retry helper, because every attempt
// needs what such helpers do not offer: a rate-limit slot, fresh credentials (an AK/SK signature
// carries its date), and one renewal after a 401.

import { setTimeout as sleep } from "node:timers/promises";
import { request as undiciRequest, type Dispatcher } from "undici";
import type { Authenticator } from "../auth/auth.js";
import {
  answerError,
  CloudApiError,
  errorCodeOf,
  requestIdOf,
  transportError,
  type CloudService,
} from "../errors.js";
import { ACCEPTED_ENCODINGS, BodyTooLarge, contentLength, readCapped, single } from "./body.js";
import { jsonResponse, type Answer, type JsonResponse } from "./json-body.js";
import { createRateLimiter } from "./rate-limit.js";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  RETRIED_CODES,
  RETRIED_STATUSES,
  retryAfterMs,
  type RetryPolicy,
} from "./retry.js";

export type { JsonResponse } from "./json-body.js";

/**
 * Largest API response read (after decompression). The largest real answer, an ELB page of
 * 2,000 certificates with chains and echoed keys, is about 25 MB.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface AttemptRecord {
  readonly service: CloudService;
  readonly operation: string;
  /** HTTP status as text, "0" when no answer arrived. */
  readonly code: string;
}

export interface CloudClientOptions {
  /**
   * The kept-alive connections every request goes through (an undici Agent, one for all
   * clients: API hosts are the same for all targets). Its maker closes it at shutdown.
   */
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly authenticator: Authenticator;
  readonly userAgent: string;
  readonly retry?: RetryPolicy;
  /** Largest response body read, in bytes; default MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** Most requests per second per service (each attempt counts); unlimited when absent. */
  readonly rateLimitPerSecond?: number;
  /** Aborted when the program stops: requests waiting for a rate-limit slot give up at once. */
  readonly stopSignal?: AbortSignal;
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

export interface CloudClient {
  /** Sends a request and parses its JSON answer; throws CloudApiError on any failure. */
  requestJson(request: FullJsonRequest): Promise<JsonResponse>;
  /** requestJson for a plain authenticated GET. */
  getJson(request: JsonRequest): Promise<JsonResponse>;
}

/** One attempt's outcome: an answer read whole, or a failure before one arrived. */
type Attempt =
  | ({ readonly answered: true } & Answer)
  | { readonly answered: false; readonly error: CloudApiError; readonly retriable: boolean };

/** What every attempt of one client shares. */
interface Transport {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly hostHints: CloudClientOptions["hostHints"];
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const transport: Transport = {
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    hostHints: options.hostHints,
  };
  const waitForSlot = createRateLimiter(options.rateLimitPerSecond, options.stopSignal);

  const requestJson = async (request: FullJsonRequest): Promise<JsonResponse> => {
    const method = request.method ?? "GET";
    const authenticate = request.authenticate ?? true;
    const url = new URL(request.url);
    if (request.searchParams !== undefined) url.search = request.searchParams.toString();
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const { authenticator } = options;
    let renewed = false;
    for (let retries = 0; ;) {
      request.signal?.throwIfAborted();
      await waitForSlot(request.service);
      request.signal?.throwIfAborted();
      const headers = baseHeaders(options.userAgent, body !== undefined);
      // Header names lower-cased: renewAfterUnauthorized reads them back that way.
      if (authenticate)
        addCredentials(headers, await authenticator.headersFor({ method, url, body: body ?? "" }));
      const outcome = await sendAttempt(transport, request, url, { method, headers, body });
      const code = outcome.answered ? String(outcome.status) : "0";
      options.onAttempt?.({ service: request.service, operation: request.operation, code });
      if (outcome.answered) {
        const { status } = outcome;
        if (status >= 200 && status <= 299) return jsonResponse(request, outcome);
        if (status === 429) options.onThrottled?.(request.service);
        if (status === 401 && authenticate && !renewed && authenticator.renewAfterUnauthorized) {
          if (await authenticator.renewAfterUnauthorized(headers)) {
            // A renewal is not a failure: the request is sent once more with new credentials.
            renewed = true;
            continue;
          }
        }
      }
      const { failure, delayMs } = retriableFailure(request, outcome, retry);
      // POST (the IAM token request) is never repeated: it is not idempotent.
      if (method !== "GET" || retries >= retry.limit) throw failure;
      retries++;
      const { service, operation } = request;
      options.onRetry?.({ service, operation, attempt: retries, error: failure });
      await pause(delayMs ?? backoffDelay(retry, retries), request.signal);
    }
  };

  return { requestJson, getJson: (request) => requestJson(request) };
}

function baseHeaders(userAgent: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": userAgent,
    accept: "application/json",
    "accept-encoding": ACCEPTED_ENCODINGS,
  };
  if (hasBody) headers["content-type"] = "application/json;charset=UTF-8";
  return headers;
}

function addCredentials(
  headers: Record<string, string>,
  credentials: Record<string, string>,
): void {
  for (const [name, value] of Object.entries(credentials)) headers[name.toLowerCase()] = value;
}

/**
 * The failure of an attempt that did not succeed, with the server's Retry-After when it gave
 * one, if another attempt may help; throws the failure when none can.
 */
function retriableFailure(
  request: FullJsonRequest,
  outcome: Attempt,
  retry: RetryPolicy,
): { readonly failure: CloudApiError; readonly delayMs: number | undefined } {
  if (!outcome.answered) {
    if (!outcome.retriable) throw outcome.error;
    return { failure: outcome.error, delayMs: undefined };
  }
  const { status } = outcome;
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
  const failure = answerError(request, status, outcome.headers, outcome.body.toString("utf8"));
  if (!RETRIED_STATUSES.has(status)) throw failure;
  const retryAfter = retryAfterMs(single(outcome.headers["retry-after"]));
  // A server asking for a longer pause than the cap gets it: this poll gives up instead.
  if (retryAfter !== undefined && retryAfter > retry.maxRetryAfterMs) throw failure;
  return { failure, delayMs: retryAfter };
}

/** The wait before a retry; cancelled by the caller's signal, ending with the caller's reason. */
async function pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(delayMs, undefined, { signal });
  } catch (error) {
    // Cancelled while waiting: end with the caller's reason, as during an attempt.
    signal?.throwIfAborted();
    throw error;
  }
}

/** Sends one attempt and reads its answer whole, within the attempt's deadline. */
async function sendAttempt(
  transport: Transport,
  request: FullJsonRequest,
  url: URL,
  send: { method: "GET" | "POST"; headers: Record<string, string>; body: string | undefined },
): Promise<Attempt> {
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
  }, transport.timeoutMs);
  try {
    const answer = await undiciRequest(url, {
      ...send,
      dispatcher: transport.dispatcher,
      signal: transfer.signal,
    });
    // A Content-Length over the cap stops the transfer before the body is read.
    const declared = contentLength(answer.headers["content-length"]);
    if (declared !== undefined && declared > transport.maxBytes) {
      answer.body.destroy();
      throw new BodyTooLarge(0);
    }
    const encoding = single(answer.headers["content-encoding"]);
    const bytes = await readCapped(answer.body, encoding, transport.maxBytes, declared);
    return { answered: true, status: answer.statusCode, headers: answer.headers, body: bytes };
  } catch (error) {
    if (request.signal?.aborted === true) throw request.signal.reason;
    return failedAttempt(transport, request, url, error, clock.timedOut);
  } finally {
    clearTimeout(deadline);
    request.signal?.removeEventListener("abort", onCallerAbort);
  }
}

/** An attempt that got no usable answer, mapped to CloudApiError. */
function failedAttempt(
  transport: Transport,
  request: FullJsonRequest,
  url: URL,
  error: unknown,
  timedOut: boolean,
): Attempt {
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
      detail: `response larger than ${transport.maxBytes} bytes; not read`,
    });
    return { answered: false, error: tooLarge, retriable: false };
  }
  const context = {
    service: request.service,
    operation: request.operation,
    timeoutMs: transport.timeoutMs,
    host: url.host,
    hint: transport.hostHints?.[request.service],
  };
  const code = errorCodeOf(error);
  return {
    answered: false,
    error: transportError(error, context, timedOut),
    retriable: timedOut || (code !== null && RETRIED_CODES.has(code)),
  };
}
