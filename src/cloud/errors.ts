// CloudApiError is the only error shape that leaves cloud/: operation, status, reason, the
// Huawei error code and the request id, with a message built from those alone. got errors carry
// the request options (headers, credentials) in enumerable fields, so they are mapped here and
// never passed on.

import { RequestError, HTTPError, TimeoutError } from "got";
import type { ErrorReason } from "../reasons.js";

export type CloudService = "elb" | "geminidb" | "ccm" | "eps" | "iam";

export interface CloudErrorDetails {
  readonly service: CloudService;
  readonly operation: string;
  /** HTTP status, 0 when no answer arrived. */
  readonly status: number;
  readonly reason: ErrorReason;
  /** Huawei error code such as `APIGW.0301` or `ELB.6101`, when the body had one. */
  readonly errorCode: string | null;
  readonly requestId: string | null;
  /** Short description from the error body or the transport; never a URL, header or secret. */
  readonly detail: string;
}

export class CloudApiError extends Error {
  readonly service: CloudService;
  readonly operation: string;
  readonly status: number;
  readonly reason: ErrorReason;
  readonly errorCode: string | null;
  readonly requestId: string | null;

  constructor(details: CloudErrorDetails) {
    const status = details.status > 0 ? `HTTP ${details.status}` : "no response";
    const code = details.errorCode ? ` ${details.errorCode}` : "";
    super(`${details.service} ${details.operation}: ${status}${code}: ${details.detail}`);
    this.name = "CloudApiError";
    this.service = details.service;
    this.operation = details.operation;
    this.status = details.status;
    this.reason = details.reason;
    this.errorCode = details.errorCode;
    this.requestId = details.requestId;
  }

  /** The fields a log line should carry. */
  toLogFields(): Record<string, unknown> {
    return {
      service: this.service,
      operation: this.operation,
      status: this.status,
      reason: this.reason,
      errorCode: this.errorCode,
      requestId: this.requestId,
      error: this.message,
    };
  }
}

const MAX_DETAIL_LENGTH = 200;

export function reasonForStatus(status: number): ErrorReason {
  if (status === 401) return "auth_failed";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "http_5xx";
  if (status >= 400) return "http_4xx";
  return "api_shape";
}

/** Reads both Huawei error body shapes: `{error_code, error_msg}` and `{error: {code, message}}`. */
export function parseErrorBody(body: string): { code: string | null; message: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: null, message: null };
  }
  if (parsed === null || typeof parsed !== "object") return { code: null, message: null };
  const record = parsed as Record<string, unknown>;
  const nested =
    record["error"] !== null && typeof record["error"] === "object"
      ? (record["error"] as Record<string, unknown>)
      : {};
  const code = firstText(record["error_code"], nested["code"], record["code"]);
  const message = firstText(record["error_msg"], nested["message"], record["message"]);
  return { code, message };
}

function firstText(...values: unknown[]): string | null {
  for (const value of values) {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number") return String(value);
  }
  return null;
}

export function truncateDetail(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_DETAIL_LENGTH ? `${oneLine.slice(0, MAX_DETAIL_LENGTH)}…` : oneLine;
}

const TLS_CODE = /^(?:ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL_)/;

/** Maps anything got (or the body handling) threw into a CloudApiError. */
export function mapRequestError(
  error: unknown,
  context: { service: CloudService; operation: string; timeoutMs: number },
): CloudApiError {
  if (error instanceof CloudApiError) return error;
  // A hook that failed with our own error (the IAM token request inside beforeRequest) is
  // wrapped by got: report the failure it carries, not the wrapper.
  if (error instanceof RequestError && error.cause instanceof CloudApiError) return error.cause;
  const base = { service: context.service, operation: context.operation };
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const body = typeof error.response.body === "string" ? error.response.body : "";
    const parsed = parseErrorBody(body);
    return new CloudApiError({
      ...base,
      status,
      reason: reasonForStatus(status),
      errorCode: parsed.code,
      requestId: requestIdOf(error.response.headers, body),
      detail: truncateDetail(parsed.message ?? error.response.statusMessage ?? "error response"),
    });
  }
  if (error instanceof TimeoutError) {
    return new CloudApiError({
      ...base,
      status: 0,
      reason: "timeout",
      errorCode: null,
      requestId: null,
      detail: `no complete answer within ${context.timeoutMs} ms`,
    });
  }
  if (error instanceof RequestError) {
    const code = error.code;
    const tls = TLS_CODE.test(code);
    return new CloudApiError({
      ...base,
      status: error.response?.statusCode ?? 0,
      reason: tls ? "tls" : "network",
      errorCode: null,
      requestId: null,
      detail: tls ? `TLS failure (${code})` : `connection failure (${code})`,
    });
  }
  return new CloudApiError({
    ...base,
    status: 0,
    reason: "network",
    errorCode: null,
    requestId: null,
    detail: error instanceof Error ? truncateDetail(error.message) : "unknown failure",
  });
}

export function requestIdOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body?: string,
): string | null {
  const header = headers["x-request-id"];
  if (typeof header === "string" && header !== "") return header;
  if (body) {
    const match = /"request_id"\s*:\s*"([^"]{1,128})"/.exec(body);
    if (match?.[1]) return match[1];
  }
  return null;
}
