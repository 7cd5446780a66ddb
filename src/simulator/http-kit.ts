// The simulator's shared HTTP plumbing: one request pipeline for all four fake services (request
// id, body reading, request log, faults, auth, routing) and the reply writer that can drip, pad,
// truncate or cut a body. It owns sockets and timers so close() is immediate; it knows no API.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import type { AuthOutcome, IncomingRequest } from "./auth.js";
import type { FaultAction, FaultRegistry, Operation, ServiceName } from "./faults.js";
import type { MutableLogEntry, RequestLog, RequestLogEntry } from "./request-log.js";

/** What a handler answers; the writer turns it into bytes (optionally slowly, padded or cut). */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
  /** Extra filler bytes streamed after `body` (oversized downloads) without allocating them. */
  readonly fillerBytes?: number;
  /** false: send no Content-Length (chunked), so a client cannot reject the size up front. */
  readonly declareLength?: boolean;
  /** Drip the body at this rate instead of sending it at once. */
  readonly bytesPerSecond?: number;
}

export interface RouteContext {
  readonly request: IncomingRequest;
  readonly requestId: string;
  readonly query: URLSearchParams;
  /** Path segments after splitting on "/", decoded. */
  readonly segments: readonly string[];
  /** The fault picked for this request, for handlers that implement data faults (pagination). */
  readonly fault: FaultAction | undefined;
  /** Lazily runs the authenticator once and records the outcome in the request log. */
  authenticate(): AuthOutcome;
  /** Marks the request as authenticated in the log without the token/AK-SK seam (OBS, IAM). */
  markAuthenticated(): void;
}

export interface Route {
  readonly operation: Operation;
  handle(ctx: RouteContext): Reply;
}

export interface ServiceDefinition {
  readonly service: ServiceName;
  /** Picks the route for a method and decoded path segments, or undefined for "no such API". */
  route(method: string, segments: readonly string[]): Route | undefined;
  /** Reply for an unknown API (each service words it differently). */
  notFound(requestId: string): Reply;
  /** Reply for a status fault with no explicit body: the service's usual error shape. */
  faultBody(status: number, requestId: string, body: string | undefined): Reply;
}

export interface ServerKitDeps {
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
  readonly authenticate: (request: IncomingRequest) => AuthOutcome;
  readonly redactQuery: (service: ServiceName, query: URLSearchParams) => RequestLogEntry["query"];
}

const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const FILLER_CHUNK = Buffer.alloc(64 * 1024, 0x41);

/** One started fake service: its base URL and a close that does not wait for idle clients. */
export interface RunningServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * One page of an offset listing that never ends: "pagination-loop" answers the first page at
 * every offset; "pagination-endless" wraps around the data, re-issuing every record under a new
 * id (`freshId`) when `fresh`. The caller's answer should promise one page more.
 */
export function neverEndingPage<T>(
  items: readonly T[],
  fault: Extract<FaultAction, { kind: "pagination-loop" | "pagination-endless" }>,
  offset: number,
  size: number,
  wire: (item: T) => Record<string, unknown>,
  freshId: () => string,
): Record<string, unknown>[] {
  const page: Record<string, unknown>[] = [];
  for (let i = 0; i < size && items.length > 0; i++) {
    const at = fault.kind === "pagination-loop" ? i : (offset + i) % items.length;
    const item = items[at];
    if (item === undefined) break;
    const fresh = fault.kind === "pagination-endless" && fault.fresh === true;
    page.push(fresh ? { ...wire(item), id: freshId() } : wire(item));
    if (fault.kind === "pagination-loop" && i + 1 >= items.length) break;
  }
  return page;
}

/** A query integer: absent → fallback; a non-integer → undefined (the caller answers 400). */
export function readInteger(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

export function jsonReply(
  status: number,
  body: unknown,
  headers?: Readonly<Record<string, string>>,
): Reply {
  return {
    status,
    headers: { "Content-Type": "application/json;charset=UTF-8", ...headers },
    body: JSON.stringify(body),
  };
}

/** For bodies assembled from cached JSON fragments (ELB pages). */
export function rawJsonReply(status: number, json: string): Reply {
  return { status, headers: { "Content-Type": "application/json;charset=UTF-8" }, body: json };
}

export function htmlErrorPage(status: number): Reply {
  return {
    status,
    headers: { "Content-Type": "text/html" },
    body:
      `<html>\r\n<head><title>${status} Error</title></head>\r\n<body>\r\n` +
      `<center><h1>${status} Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}

export async function startServiceServer(
  definition: ServiceDefinition,
  deps: ServerKitDeps,
  host: string,
  port: number,
): Promise<RunningServer> {
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const schedule = (ms: number, fn: () => void): void => {
    if (closing) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closing) fn();
    }, ms);
    timers.add(timer);
  };

  const server: Server = createServer((req, res) => {
    handleRequest(req, res);
  });
  // Keep-alive sockets would otherwise hold close() open for the client's idle timeout.
  server.keepAliveTimeout = 5_000;

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = randomUUID();
    res.setHeader("X-Request-Id", requestId);
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const queryStart = rawUrl.indexOf("?");
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? "" : rawUrl.slice(queryStart + 1);
    const query = new URLSearchParams(rawQuery);
    const headerNames: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headerNames.push((req.rawHeaders[i] ?? "").toLowerCase());
    }
    const entry = deps.log.record({
      service: definition.service,
      method,
      path: rawPath,
      query: deps.redactQuery(definition.service, query),
      headerNames,
    });

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("error", () => {
      res.destroy();
    });
    req.on("end", () => {
      if (tooLarge) {
        writeReply(res, entry, definition.faultBody(413, requestId, undefined), undefined);
        return;
      }
      const segments = splitPath(rawPath);
      if (segments === undefined) {
        writeReply(res, entry, definition.notFound(requestId), undefined);
        return;
      }
      const route = definition.route(method, segments);
      const fault = deps.faults.take({
        service: definition.service,
        method,
        path: rawPath,
        operation: route?.operation ?? "unknown",
      });
      if (fault !== undefined) entry.fault = fault.kind;

      let authOutcome: AuthOutcome | undefined;
      const request: IncomingRequest = {
        method,
        rawPath,
        rawQuery,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const ctx: RouteContext = {
        request,
        requestId,
        query,
        segments,
        fault,
        authenticate: () => {
          authOutcome ??= deps.authenticate(request);
          entry.authenticated = authOutcome.ok;
          return authOutcome;
        },
        markAuthenticated: () => {
          entry.authenticated = true;
        },
      };
      const answer = (): void => {
        const reply = route === undefined ? definition.notFound(requestId) : route.handle(ctx);
        writeReply(res, entry, reply, fault);
      };

      if (fault === undefined) {
        answer();
        return;
      }
      switch (fault.kind) {
        case "status":
          writeReply(res, entry, statusFaultReply(definition, fault, requestId), undefined);
          return;
        case "json":
          writeReply(res, entry, jsonReply(fault.status ?? 200, fault.body), undefined);
          return;
        case "reset":
          // An RST rather than a FIN: the client sees ECONNRESET, like a dropped load balancer.
          req.socket.resetAndDestroy();
          return;
        case "hang":
          // Nothing is ever written; close() destroys the socket.
          return;
        case "delay":
          schedule(fault.ms, answer);
          return;
        case "flood":
          writeReply(res, entry, floodReply(fault), undefined);
          return;
        case "slow-body":
        case "truncate":
        case "pagination-loop":
        case "pagination-endless":
          answer();
          return;
      }
    });
  };

  const writeReply = (
    res: ServerResponse,
    entry: MutableLogEntry,
    reply: Reply,
    fault: FaultAction | undefined,
  ): void => {
    // Logged before the first byte leaves, so a test that has its answer also has the entry.
    entry.status = reply.status;
    const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
    const filler = reply.fillerBytes ?? 0;
    const total = body.length + filler;
    res.statusCode = reply.status;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);

    if (fault?.kind === "truncate") {
      const half = body.subarray(0, Math.floor(body.length / 2));
      if (fault.mode === "destroy") {
        // Promise the full length, deliver half, then drop the connection mid-body.
        res.setHeader("Content-Length", String(body.length));
        res.write(half, () => {
          res.destroy();
        });
      } else {
        // A complete, well-framed response whose JSON simply stops halfway.
        res.end(half);
      }
      return;
    }

    if (reply.declareLength !== false) res.setHeader("Content-Length", String(total));
    const bytesPerSecond =
      fault?.kind === "slow-body" ? fault.bytesPerSecond : reply.bytesPerSecond;
    if (bytesPerSecond !== undefined) {
      dripBody(res, body, filler, bytesPerSecond);
      return;
    }
    if (filler === 0) {
      res.end(body);
      return;
    }
    res.write(body);
    streamFiller(res, filler);
  };

  const streamFiller = (res: ServerResponse, remaining: number): void => {
    let left = remaining;
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const chunk = left >= FILLER_CHUNK.length ? FILLER_CHUNK : FILLER_CHUNK.subarray(0, left);
        left -= chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  const dripBody = (
    res: ServerResponse,
    body: Buffer,
    filler: number,
    bytesPerSecond: number,
  ): void => {
    const rate = Math.max(1, bytesPerSecond);
    const tickMs = rate >= 10 ? 100 : Math.ceil(1000 / rate);
    const perTick = rate >= 10 ? Math.ceil(rate / 10) : 1;
    const total = body.length + filler;
    let offset = 0;
    res.flushHeaders();
    const tick = (): void => {
      if (res.destroyed) return;
      const end = Math.min(total, offset + perTick);
      res.write(sliceWithFiller(body, offset, end));
      offset = end;
      if (offset >= total) res.end();
      else schedule(tickMs, tick);
    };
    schedule(tickMs, tick);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${urlHost}:${address.port}`,
    close: () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // Hanging and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      });
    },
  };
}

function sliceWithFiller(body: Buffer, start: number, end: number): Buffer {
  if (end <= body.length) return body.subarray(start, end);
  const fromBody = start < body.length ? body.subarray(start) : Buffer.alloc(0);
  const fillerLength = end - Math.max(start, body.length);
  return Buffer.concat([fromBody, Buffer.alloc(fillerLength, 0x41)]);
}

/** Splits a raw path into decoded segments; undefined when the encoding is invalid. */
function splitPath(rawPath: string): string[] | undefined {
  try {
    return rawPath
      .split("/")
      .filter((segment) => segment !== "")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

const MiB = 1024 * 1024;
/** One gzip member inflating to 1 MiB of filler; members concatenate into a valid gzip stream. */
let gzipMebibyte: Buffer | undefined;

/** The reply of a flood fault: filler streamed, or a stream of gzip members held compressed. */
function floodReply(fault: Extract<FaultAction, { kind: "flood" }>): Reply {
  const start = '{"certificates":[{"id":"';
  if (fault.gzip !== true) {
    return {
      status: 200,
      headers: { "Content-Type": "application/json;charset=UTF-8" },
      body: start,
      fillerBytes: Math.max(0, fault.bytes - start.length),
      declareLength: fault.declareLength ?? true,
    };
  }
  gzipMebibyte ??= gzipSync(Buffer.alloc(MiB, 0x41), { level: 9 });
  const members = Math.max(1, Math.ceil(fault.bytes / MiB));
  return {
    status: 200,
    headers: { "Content-Type": "application/json;charset=UTF-8", "Content-Encoding": "gzip" },
    body: Buffer.concat(Array.from({ length: members }, () => gzipMebibyte as Buffer)),
    declareLength: fault.declareLength ?? true,
  };
}

function statusFaultReply(
  definition: ServiceDefinition,
  fault: Extract<FaultAction, { kind: "status" }>,
  requestId: string,
): Reply {
  const base = definition.faultBody(fault.status, requestId, fault.body);
  const headers: Record<string, string> = { ...base.headers };
  if (fault.contentType !== undefined) headers["Content-Type"] = fault.contentType;
  if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
  return { ...base, headers };
}
