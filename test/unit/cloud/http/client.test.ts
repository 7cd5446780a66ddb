// The cloud client's own attempt loop, against a real local server that answers from a script:
// which answers are retried and how often, what each attempt reports, the deadline, the body
// cap, 401 renewal and cancellation. The daemon-level behaviour (rate limit, 429 backoff under
// load, secrets) is covered against the simulator in test/integration and test/resilience.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Authenticator } from "../../../../src/cloud/auth/auth.js";
import type { CloudApiError } from "../../../../src/cloud/errors.js";
import {
  createCloudClient,
  type AttemptRecord,
  type CloudClientOptions,
} from "../../../../src/cloud/http/client.js";
import { retryAfterMs } from "../../../../src/cloud/http/retry.js";
import { cloudFailure } from "../../../helpers/cloud-failure.js";

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
/** Never answers: the client's deadline must end the attempt. */
const silence: Answer = () => undefined;

let server: Server;
const agent = new Agent();
let baseUrl: string;
let script: Answer[] = [];
let seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request);
    const answer = script.shift() ?? json(500, { error_msg: "script exhausted" });
    request.resume();
    request.on("end", () => {
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  seen = [];
});

const FAST_RETRY = { limit: 2, baseDelayMs: 1, backoffLimitMs: 4, maxRetryAfterMs: 2_000 };

function client(extra: Partial<CloudClientOptions> = {}) {
  const attempts: AttemptRecord[] = [];
  const retries: CloudApiError[] = [];
  const cloud = createCloudClient({
    dispatcher: agent,
    timeoutMs: 300,
    userAgent: "http-client-test",
    retry: FAST_RETRY,
    authenticator: { headersFor: () => Promise.resolve({ "X-Auth-Token": "token-1" }) },
    onAttempt: (attempt) => attempts.push(attempt),
    onRetry: ({ error }) => retries.push(error),
    ...extra,
  });
  return { cloud, attempts, retries, codes: () => attempts.map((attempt) => attempt.code) };
}

const get = { service: "elb", operation: "list_certificates" } as const;

describe("retryAfterMs", () => {
  it.each<[string | undefined, number | undefined]>([
    ["3", 3000],
    [" 0 ", 0],
    ["Thu, 01 Jan 2026 00:00:10 GMT", 10_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    [undefined, undefined],
  ])("%s → %s", (value, expected) => {
    expect(retryAfterMs(value, Date.parse("2026-01-01T00:00:00Z"))).toBe(expected);
  });
});

describe("createCloudClient", () => {
  it("sends credentials and query, and hands back JSON without private keys", async () => {
    script = [
      json(200, { certificates: [{ id: "c1", private_key: "KEY" }] }, { "X-Request-Id": "r-1" }),
    ];
    const { cloud, codes } = client();
    const response = await cloud.getJson({
      ...get,
      url: `${baseUrl}/v3/p/elb/certificates`,
      searchParams: new URLSearchParams({ limit: "2", marker: "a b" }),
    });
    expect(response.body).toEqual({ certificates: [{ id: "c1" }] });
    expect(response.requestId).toBe("r-1");
    expect(response.header("Content-Type")).toBe("application/json");
    expect(codes()).toEqual(["200"]);
    const [request] = seen;
    expect(request?.url).toBe("/v3/p/elb/certificates?limit=2&marker=a+b");
    expect(request?.headers["x-auth-token"]).toBe("token-1");
    expect(request?.headers["user-agent"]).toBe("http-client-test");
  });

  it("retries 5xx with backoff and reports every attempt", async () => {
    script = [json(503, { error_msg: "busy" }), json(502, {}), json(200, { ok: true })];
    const { cloud, codes, retries } = client();
    const response = await cloud.getJson({ ...get, url: baseUrl });
    expect(response.body).toEqual({ ok: true });
    expect(codes()).toEqual(["503", "502", "200"]);
    expect(retries.map((error) => error.reason)).toEqual(["http_5xx", "http_5xx"]);
  });

  it("gives up after the retry limit with the last answer's code and message", async () => {
    script = [
      json(503, {}),
      json(503, {}),
      json(503, { error: { code: "ELB.9999", message: "still busy" } }),
    ];
    const { cloud, codes } = client();
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(codes()).toEqual(["503", "503", "503"]);
    expect(error.status).toBe(503);
    expect(error.errorCode).toBe("ELB.9999");
    expect(error.message).toBe("elb list_certificates: HTTP 503 ELB.9999: still busy");
  });

  it("does not retry a 4xx other than 408 and 429", async () => {
    script = [json(403, { error_code: "APIGW.0302", error_msg: "denied" })];
    const { cloud, codes } = client();
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(codes()).toEqual(["403"]);
    expect(error.reason).toBe("forbidden");
  });

  it("counts a 429 as throttling and gives up when Retry-After is beyond the cap", async () => {
    const throttled: string[] = [];
    script = [json(429, { error_msg: "slow down" }, { "Retry-After": "3600" })];
    const { cloud, codes } = client({ onThrottled: (service) => throttled.push(service) });
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(codes()).toEqual(["429"]);
    expect(throttled).toEqual(["elb"]);
    expect(error.reason).toBe("rate_limited");
  });

  it("never repeats a POST", async () => {
    script = [json(503, {}), json(200, {})];
    const { cloud, codes } = client();
    const error = await cloudFailure(
      cloud.requestJson({ ...get, url: baseUrl, method: "POST", json: { a: 1 } }),
    );
    expect(codes()).toEqual(["503"]);
    expect(error.status).toBe(503);
    expect(seen[0]?.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("renews credentials once after a 401, without counting a retry", async () => {
    let token = "old";
    const used: unknown[] = [];
    const authenticator: Authenticator = {
      headersFor: () => Promise.resolve({ "X-Auth-Token": token }),
      renewAfterUnauthorized: (headers) => {
        used.push(headers["x-auth-token"]);
        token = "new";
        return Promise.resolve(true);
      },
    };
    script = [json(401, {}), json(200, { ok: true })];
    const { cloud, codes, retries } = client({ authenticator });
    await cloud.getJson({ ...get, url: baseUrl });
    expect(codes()).toEqual(["401", "200"]);
    expect(used).toEqual(["old"]);
    expect(seen.map((request) => request.headers["x-auth-token"])).toEqual(["old", "new"]);
    expect(retries).toEqual([]);

    script = [json(401, {}), json(401, { error_msg: "still no" })];
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(error.reason).toBe("auth_failed");
  });

  it("ends a silent attempt at its deadline and retries it", async () => {
    script = [silence, silence, silence];
    const { cloud, codes } = client({ timeoutMs: 100 });
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(codes()).toEqual(["0", "0", "0"]);
    expect(error.reason).toBe("timeout");
    expect(error.message).toBe(
      `elb list_certificates: no response: no complete answer from ${new URL(baseUrl).host} within 100 ms`,
    );
  });

  it("retries a refused connection and reports no status, naming the host and its settings", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { cloud, codes } = client({
      hostHints: { elb: "HWCERT_REGION or HWCERT_ELB_ENDPOINT" },
    });
    const error = await cloudFailure(
      cloud.getJson({ ...get, url: `http://127.0.0.1:${port}/v3/p/elb/certificates?sig=S` }),
    );
    expect(codes()).toEqual(["0", "0", "0"]);
    expect(error.reason).toBe("network");
    expect(error.host).toBe(`127.0.0.1:${port}`);
    expect(error.message).toBe(
      `elb list_certificates: no response: cannot reach 127.0.0.1:${port} (connection refused, ECONNREFUSED): check HWCERT_REGION or HWCERT_ELB_ENDPOINT`,
    );
    expect(error.toLogFields()).toMatchObject({ host: `127.0.0.1:${port}`, reason: "network" });
  });

  it("names a host that DNS does not know, and never the path or query", async () => {
    const { cloud } = client({
      retry: { ...FAST_RETRY, limit: 0 },
      hostHints: { iam: "HWCERT_REGION or HWCERT_IAM_ENDPOINT" },
    });
    const error = await cloudFailure(
      cloud.getJson({
        service: "iam",
        operation: "list_projects",
        url: "https://iam.ap-southeast-9.invalid/v3/projects?name=ap-southeast-9",
      }),
    );
    expect(error.reason).toBe("network");
    expect(error.message).toBe(
      "iam list_projects: no response: cannot reach iam.ap-southeast-9.invalid (DNS: no such host, ENOTFOUND): check HWCERT_REGION or HWCERT_IAM_ENDPOINT",
    );
  });

  it("does not follow redirects", async () => {
    script = [json(302, {}, { Location: "http://198.51.100.1/elsewhere" })];
    const { cloud } = client();
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(error.reason).toBe("api_shape");
    expect(error.message).toContain("redirects are not followed");
    expect(seen).toHaveLength(1);
  });

  it("reads gzip answers and stops at the cap, counted after decompression", async () => {
    const gzipped =
      (body: string): Answer =>
      (_request, response) => {
        response.writeHead(200, { "content-encoding": "gzip" });
        response.end(gzipSync(body));
      };
    script = [gzipped('{"small":true}'), gzipped(JSON.stringify({ big: "x".repeat(5000) }))];
    const { cloud, codes } = client({ maxResponseBytes: 1000 });
    expect((await cloud.getJson({ ...get, url: baseUrl })).body).toEqual({ small: true });
    const error = await cloudFailure(cloud.getJson({ ...get, url: baseUrl }));
    expect(error.reason).toBe("api_shape");
    expect(error.message).toContain("response larger than 1000 bytes");
    expect(codes()).toEqual(["200", "0"]);
    expect(seen[0]?.headers["accept-encoding"]).toContain("gzip");
  });

  it("calls a body that is not JSON an api_shape failure", async () => {
    script = [
      (_request, response) => {
        response.end("<html>maintenance</html>");
      },
    ];
    const error = await cloudFailure(client().cloud.getJson({ ...get, url: baseUrl }));
    expect(error.reason).toBe("api_shape");
    expect(error.message).toContain("not valid JSON");
  });

  it("stops waiting for a retry when the caller aborts", async () => {
    script = [json(503, {})];
    const controller = new AbortController();
    const { cloud } = client({
      retry: { ...FAST_RETRY, baseDelayMs: 60_000, backoffLimitMs: 60_000 },
    });
    const pending = cloud.getJson({ ...get, url: baseUrl, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error("shutting down"));
    // Without the abort the backoff would outlast the test's timeout.
    await expect(pending).rejects.toThrow("shutting down");
    expect(seen).toHaveLength(1);
  });
});
