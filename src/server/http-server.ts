// The HTTP face of the daemon on node:http: /metrics (cached poll results plus live counters),
// /healthz (alive), /readyz (a first poll has completed), and the status page at / (HTML under
// a hash-only Content-Security-Policy, or JSON with ?format=json). It never triggers a poll and
// never answers 500 because an upstream is down. Timeouts keep slow clients from pinning
// sockets; close() drains politely, then forcibly.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Negotiator from "negotiator";
import type { Logger } from "../log/logger.js";
import type { MetricsExposition } from "../metrics/exposition.js";
import { statusToJson } from "../status/json.js";
import type { StatusModel } from "../status/model.js";
import { STATUS_PAGE_CSP } from "./status-assets.js";
import { renderStatusPage } from "./status-page.js";

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: MetricsExposition;
  readonly isReady: () => boolean;
  /** The status page's data, built from the current snapshot at each request. */
  readonly status: () => StatusModel;
  readonly logger: Logger;
}

export interface RunningServer {
  /** The bound address, e.g. `127.0.0.1:10057` (the real port when 0 was asked for). */
  readonly address: string;
  readonly port: number;
  close(graceMs: number): Promise<void>;
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.logger.error({ err: error, path: request.url }, "HTTP handler failed");
      if (!response.headersSent)
        send(response, 500, "text/plain; charset=utf-8", "internal error\n");
      else response.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    address: `${host}:${bound.port}`,
    port: bound.port,
    close: (graceMs) => closeServer(server, graceMs),
  };
}

async function handle(
  options: HttpServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    send(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
    return;
  }
  const url = new URL(request.url ?? "/", "http://localhost");
  switch (url.pathname) {
    case "/metrics": {
      const encoding = new Negotiator(request).encoding(["gzip", "identity"]);
      const body = await options.metrics.render({ gzip: encoding === "gzip" });
      const length = body.chunks.reduce((total, chunk) => total + chunk.length, 0);
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        "content-type": options.metrics.contentType,
        "content-length": length,
        vary: "Accept-Encoding",
        ...(body.contentEncoding ? { "content-encoding": body.contentEncoding } : {}),
      });
      if (method === "HEAD") {
        response.end();
        return;
      }
      for (const chunk of body.chunks) response.write(chunk);
      response.end();
      return;
    }
    case "/healthz":
      send(response, 200, "text/plain; charset=utf-8", "ok\n", method === "HEAD");
      return;
    case "/readyz": {
      const ready = options.isReady();
      send(
        response,
        ready ? 200 : 503,
        "text/plain; charset=utf-8",
        ready ? "ready\n" : "not ready: the first poll has not completed\n",
        method === "HEAD",
      );
      return;
    }
    case "/":
      sendStatus(options, url.searchParams.get("format") ?? "html", response, method === "HEAD");
      return;
    default:
      send(response, 404, "text/plain; charset=utf-8", "not found\n", method === "HEAD");
  }
}

/** The status page, or its JSON with `?format=json`. */
function sendStatus(
  options: HttpServerOptions,
  format: string,
  response: ServerResponse,
  headOnly: boolean,
): void {
  if (format === "json") {
    send(
      response,
      200,
      "application/json; charset=utf-8",
      `${JSON.stringify(statusToJson(options.status()), null, 2)}\n`,
      headOnly,
    );
  } else if (format === "html") {
    response.setHeader("content-security-policy", STATUS_PAGE_CSP);
    response.setHeader("referrer-policy", "no-referrer");
    response.setHeader("x-frame-options", "DENY");
    send(response, 200, "text/html; charset=utf-8", renderStatusPage(options.status()), headOnly);
  } else {
    send(
      response,
      400,
      "text/plain; charset=utf-8",
      "unknown format: use format=html or format=json\n",
      headOnly,
    );
  }
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headOnly = false,
): void {
  const bytes = Buffer.from(body, "utf8");
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": contentType,
    "content-length": bytes.length,
  });
  response.end(headOnly ? undefined : bytes);
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    server.closeAllConnections();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
