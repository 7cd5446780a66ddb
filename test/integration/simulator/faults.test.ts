import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateChain, startSimulator, type Simulator } from "../../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "./http.js";

describe("simulator faults", () => {
  let sim: Simulator;
  let base: string;
  let ids: string[];

  beforeAll(async () => {
    sim = await startSimulator({ elbPageSizeCap: 2 });
    const chain = await generateChain({
      commonName: "faults.example.com",
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    ids = [];
    for (let i = 0; i < 5; i++)
      ids.push(sim.elb.add({ name: `c${i}`, certificate: chain.certificatePem }));
    ids.sort();
    base = `${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates`;
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.faults.clear();
  });

  const get = (url = base) => fetch(url, { headers: { "X-Auth-Token": sim.authToken } });

  it.each([
    [
      "apigw",
      429,
      { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" },
    ],
    ["elb", 500, { error: { code: "ELB.6101", message: "Simulated failure" } }],
  ] as const)("status with the %s body", async (body, status, expected) => {
    sim.faults.add({
      service: "elb",
      times: 1,
      action: { kind: "status", status, body, retryAfter: "3" },
    });
    const response = await get();
    expect(response.status).toBe(status);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toMatchObject(expected);
    expect((await get()).status).toBe(200);
  });

  it("status with an HTML page, or a raw body", async () => {
    sim.faults.add({
      service: "elb",
      times: 1,
      action: { kind: "status", status: 502, body: "html" },
    });
    const html = await get();
    expect(html.headers.get("content-type")).toBe("text/html");
    expect(await html.text()).toContain("<h1>502 Error</h1>");
    sim.faults.add({
      service: "elb",
      times: 1,
      action: { kind: "status", status: 500, body: "{oops" },
    });
    expect(await (await get()).text()).toBe("{oops");
  });

  it("delay, then the normal answer", async () => {
    sim.faults.add({ service: "elb", times: 1, action: { kind: "delay", ms: 150 } });
    const started = Date.now();
    expect((await get()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("reset", async () => {
    sim.faults.add({ service: "elb", times: 1, action: { kind: "reset" } });
    await expect(get()).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ fault: "reset", status: 0 });
  });

  it("hang, until the client gives up", async () => {
    sim.faults.add({ service: "elb", times: 1, action: { kind: "hang" } });
    await expect(
      fetch(base, { headers: { "X-Auth-Token": sim.authToken }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });

  it("truncate: well-framed half JSON, or a dropped connection", async () => {
    sim.faults.add({ service: "elb", times: 1, action: { kind: "truncate" } });
    const cut = await get();
    expect(cut.status).toBe(200);
    const text = await cut.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text.startsWith('{"request_id":')).toBe(true);

    sim.faults.add({ service: "elb", times: 1, action: { kind: "truncate", mode: "destroy" } });
    const dropped = await get();
    await expect(dropped.text()).rejects.toThrow();
  });

  it("json: a wrong shape", async () => {
    sim.faults.add({
      service: "elb",
      times: 1,
      action: { kind: "json", body: { certificates: "nope" } },
    });
    expect(await (await get()).json()).toEqual({ certificates: "nope" });
  });

  it("slow-body", async () => {
    sim.faults.add({
      service: "elb",
      match: { operation: "elb.showCertificate" },
      times: 1,
      action: { kind: "slow-body", bytesPerSecond: 20_000 },
    });
    const started = Date.now();
    const response = await get(`${base}/${ids[0]}`);
    const body = asRecord(await response.json());
    expect(asRecord(body.certificate).id).toBe(ids[0]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("pagination-loop: next_marker repeats the page just served", async () => {
    sim.faults.add({ service: "elb", action: { kind: "pagination-loop" } });
    const first = asRecord((await getJson(base, sim.authToken)).body);
    const marker = asRecord(first.page_info).next_marker;
    expect(marker).toBe(ids[1]);
    const second = asRecord(
      (await getJson(`${base}?marker=${String(marker)}`, sim.authToken)).body,
    );
    expect(asRecord(second.page_info).next_marker).toBe(marker);
  });

  it("pagination-endless: a fresh marker on every page, forever", async () => {
    sim.faults.add({ service: "elb", action: { kind: "pagination-endless" } });
    const markers = new Set<string>();
    const seen: unknown[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 6; page++) {
      const url = marker === undefined ? base : `${base}?marker=${marker}`;
      const record = asRecord((await getJson(url, sim.authToken)).body);
      seen.push(...asArray(record.certificates).map((c) => asRecord(c).id));
      marker = String(asRecord(record.page_info).next_marker);
      markers.add(marker);
    }
    expect(markers.size).toBe(6);
    expect(seen.slice(0, 5)).toEqual(ids);
    expect(seen.length).toBeGreaterThan(5);
  });

  it("matches on method, path and operation, and spends its budget", async () => {
    const id = sim.faults.add({
      service: "elb",
      match: { method: "get", pathIncludes: ids[2], operation: "elb.showCertificate" },
      times: 2,
      action: { kind: "status", status: 503 },
    });
    expect((await get()).status).toBe(200);
    expect((await get(`${base}/${ids[1]}`)).status).toBe(200);
    expect((await get(`${base}/${ids[2]}`)).status).toBe(503);
    expect(sim.faults.remaining(id)).toBe(1);
    expect((await get(`${base}/${ids[2]}`)).status).toBe(503);
    expect((await get(`${base}/${ids[2]}`)).status).toBe(200);
    expect(sim.faults.remaining(id)).toBe(0);
  });

  it("applies to other services: IAM and OBS", async () => {
    sim.faults.add({ service: "iam", times: 1, action: { kind: "status", status: 429 } });
    const iam = await fetch(`${sim.endpoints.iam}/v3/auth/tokens`, { method: "POST", body: "{}" });
    expect(iam.status).toBe(429);
    sim.faults.add({ service: "obs", times: 1, action: { kind: "status", status: 500 } });
    const obs = await fetch(`${sim.endpoints.obs}/bucket/key`);
    expect(obs.status).toBe(500);
    expect(await obs.text()).toContain("<Code>InternalError</Code>");
  });

  it("closes at once even with a hanging request open", async () => {
    const own = await startSimulator();
    own.faults.add({ service: "geminidb", action: { kind: "hang" } });
    const pending = fetch(`${own.endpoints.geminidb}/v3/${own.projectId}/instances`).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(Error);
  });
});
