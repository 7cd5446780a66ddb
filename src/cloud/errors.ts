// CloudApiError is the only error shape that leaves cloud/: operation, status, reason, the
// Huawei error code and the request id, with a message built from those alone. HTTP client
// errors can carry request details (URLs with their query, headers with credentials), so they
// are mapped here and never passed on.

import { STATUS_CODES } from "node:http";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";

/** Whom a request goes to: a source's API, or IAM and EPS, which serve every source. */
export type CloudService = SourceName | "eps" | "iam";

/** What a CloudApiError is built from: its fields, the detail of its message, maybe the host. */
export interface CloudErrorDetails extends Pick<
  CloudApiError,
  "service" | "operation" | "status" | "reason" | "errorCode" | "requestId"
> {
  /** Short description from the error body or the transport; never a URL, header or secret. */
  readonly detail: string;
  readonly host?: string | null;
}

export class CloudApiError extends Error {
  readonly service: CloudService;
  readonly operation: string;
  /** HTTP status, 0 when no answer arrived. */
  readonly status: number;
  readonly reason: ErrorReason;
  /** Huawei error code such as `APIGW.0301` or `ELB.6101`, when the body had one. */
  readonly errorCode: string | null;
  readonly requestId: string | null;
  /**
   * The host (and port, when not the scheme's default) the request went to, when the failure is
   * about reaching it: a host name is not a secret, unlike a URL's path and query.
   */
  readonly host: string | null;

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
    this.host = details.host ?? null;
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
      ...(this.host === null ? {} : { host: this.host }),
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

/**
 * Connection failures that mean the host was never reached, in words an operator can act on.
 * Each is usually a wrong host name (region, endpoint) or a network path (firewall, proxy).
 */
const UNREACHABLE: Readonly<Record<string, string>> = {
  ENOTFOUND: "DNS: no such host",
  EAI_AGAIN: "DNS: lookup failed, try again later",
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

/**
 * Says why a connection to `host` failed, from the error code alone: `cannot reach <host> (DNS:
 * no such host, ENOTFOUND)` when the host was never reached, else `connection to <host> failed
 * (<code>)`. `hint` names what to check for the first kind (the settings behind the host).
 */
export function describeConnectionFailure(
  host: string,
  code: string | null,
  hint?: string,
): string {
  const why = code === null ? undefined : UNREACHABLE[code];
  if (why === undefined) return `connection to ${host} failed (${code ?? "unknown error"})`;
  return `cannot reach ${host} (${why}, ${code ?? ""})${hint ? `: check ${hint}` : ""}`;
}

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
 * connection. Only the error's code is kept (its message may quote a URL), with the host the
 * request went to and, for a host that could not be reached or did not prove its name, `hint`:
 * the settings that decide the host (`HWCERT_REGION or HWCERT_IAM_ENDPOINT`).
 */
export function transportError(
  error: unknown,
  context: ErrorContext & {
    readonly timeoutMs: number;
    readonly host: string;
    readonly hint?: string | undefined;
  },
  timedOut: boolean,
): CloudApiError {
  if (error instanceof CloudApiError) return error;
  const { host, hint } = context;
  const base = {
    service: context.service,
    operation: context.operation,
    status: 0,
    errorCode: null,
    requestId: null,
    host,
  };
  if (timedOut) {
    return new CloudApiError({
      ...base,
      reason: "timeout",
      detail: `no complete answer from ${host} within ${context.timeoutMs} ms`,
    });
  }
  const code = errorCodeOf(error);
  if (code !== null && TLS_CODE.test(code)) {
    return new CloudApiError({
      ...base,
      reason: "tls",
      detail: `TLS failure with ${host} (${code})${hint ? `: check ${hint}` : ""}`,
    });
  }
  return new CloudApiError({
    ...base,
    reason: "network",
    detail: describeConnectionFailure(host, code, hint),
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
