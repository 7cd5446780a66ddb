// CloudApiError is the only error shape that leaves cloud/: operation, status, reason, the
// Huawei error code and the request id, with a message built from those alone. HTTP client
// errors can carry request details (URLs with their query, headers with credentials), so they
// are mapped here and never passed on.

import { STATUS_CODES } from "node:http";
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

interface ErrorContext {
  readonly service: CloudService;
  readonly operation: string;
}

/** An error answer (4xx, 5xx), described by Huawei's error code and message from its body. */
export function answerError(
  context: ErrorContext,
  status: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
): CloudApiError {
  const parsed = parseErrorBody(body);
  return new CloudApiError({
    service: context.service,
    operation: context.operation,
    status,
    reason: reasonForStatus(status),
    errorCode: parsed.code,
    requestId: requestIdOf(headers, body),
    detail: truncateDetail(parsed.message ?? STATUS_CODES[status] ?? "error response"),
  });
}

/**
 * A failure before a complete answer arrived: the attempt's deadline (`timedOut`), TLS, or the
 * connection. Only the error's code is kept: its message may quote a URL.
 */
export function transportError(
  error: unknown,
  context: ErrorContext & { readonly timeoutMs: number },
  timedOut: boolean,
): CloudApiError {
  if (error instanceof CloudApiError) return error;
  const base = {
    service: context.service,
    operation: context.operation,
    status: 0,
    errorCode: null,
    requestId: null,
  };
  if (timedOut) {
    return new CloudApiError({
      ...base,
      reason: "timeout",
      detail: `no complete answer within ${context.timeoutMs} ms`,
    });
  }
  const code = errorCodeOf(error);
  if (code !== null && TLS_CODE.test(code)) {
    return new CloudApiError({ ...base, reason: "tls", detail: `TLS failure (${code})` });
  }
  return new CloudApiError({
    ...base,
    reason: "network",
    detail: `connection failure (${code ?? "unknown"})`,
  });
}

/** The system or client error code of an error or of its cause (undici wraps some). */
export function errorCodeOf(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    current = current.cause;
  }
  return null;
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
