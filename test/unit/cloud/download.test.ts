// downloadFile against a local HTTP server: bodies a server compressed without being asked are
// decoded (and capped after decoding), redirect bodies are skipped, and connections are kept
// alive between downloads. The allow-list, DNS and size guards against the simulator are in
// test/resilience/download-guard.test.ts.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDownloadAgent,
  downloadFile,
  type DownloadPolicy,
} from "../../../src/cloud/download.js";

const CONTENT = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
const MAX_BYTES = 64 * 1024;

const encoders: Record<string, (input: Buffer) => Buffer> = {
  gzip: (input) => gzipSync(input),
  "x-gzip": (input) => gzipSync(input),
  deflate: (input) => deflateSync(input),
  br: (input) => brotliCompressSync(input),
};

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const routes: Record<string, Handler> = {
  "/plain": (_request, response) => response.end(CONTENT),
  "/bomb": (_request, response) => {
    response.writeHead(200, { "content-encoding": "gzip" });
    response.end(gzipSync(Buffer.alloc(4 * MAX_BYTES, 0x41)));
  },
  "/redirect-with-body": (_request, response) => {
    response.writeHead(302, { location: "/plain" });
    response.end(Buffer.alloc(16 * 1024, 0x20));
  },
  "/not-found": (_request, response) => {
    response.writeHead(404);
    response.end("missing");
  },
};
for (const [coding, encode] of Object.entries(encoders)) {
  routes[`/encoded/${coding}`] = (_request, response) => {
    response.writeHead(200, { "content-encoding": coding });
    response.end(encode(CONTENT));
  };
}

let server: Server;
let base: string;
let connections = 0;
const allowList = { allowedHosts: ["127.0.0.1"], allowHttp: true };
const policy: DownloadPolicy = {
  ...allowList,
  agent: createDownloadAgent(allowList),
  maxBytes: MAX_BYTES,
  timeoutMs: 5_000,
  userAgent: "download-test",
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const handler = routes[request.url ?? ""];
    if (handler) handler(request, response);
    else response.writeHead(500).end();
  });
  server.on("connection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await policy.agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const download = (path: string, using = policy) =>
  downloadFile(`${base}${path}`, using, new AbortController().signal);

describe("downloadFile", () => {
  it.each(Object.keys(encoders))("decodes a body sent with Content-Encoding %s", async (coding) => {
    const result = await download(`/encoded/${coding}`);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.ok && Buffer.from(result.bytes).equals(CONTENT)).toBe(true);
  });

  it("stops a compressed body at the cap counted after decoding", async () => {
    const result = await download("/bomb");
    expect(result).toMatchObject({
      ok: false,
      reason: "too_large",
      detail: `larger than ${MAX_BYTES} bytes`,
    });
    expect(!result.ok && result.bytesRead).toBeGreaterThan(MAX_BYTES);
    expect(!result.ok && result.bytesRead).toBeLessThan(2 * MAX_BYTES);
  });

  it("follows a redirect that has a body", async () => {
    const result = await download("/redirect-with-body");
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it("reports a failed answer with its size", async () => {
    expect(await download("/not-found")).toMatchObject({
      ok: false,
      reason: "http_status",
      status: 404,
      bytesRead: "missing".length,
      detail: "answered HTTP 404",
    });
  });

  it("keeps the connection alive between downloads", async () => {
    // A pool of its own, so no connection another test cut short is in it.
    const own = { ...policy, agent: createDownloadAgent(allowList) };
    try {
      expect(await download("/plain", own)).toMatchObject({ ok: true });
      const before = connections;
      for (let i = 0; i < 5; i++) expect(await download("/plain", own)).toMatchObject({ ok: true });
      // At most one more: a request sent while the previous one is finishing may open a second.
      expect(connections - before).toBeLessThanOrEqual(1);
    } finally {
      await own.agent.destroy();
    }
  });
});
