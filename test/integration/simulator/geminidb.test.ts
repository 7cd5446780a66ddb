import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "./http.js";

const CA_PEM = "-----BEGIN CERTIFICATE-----\nTUlJQ2FDQQ==\n-----END CERTIFICATE-----\n";

describe("simulated GeminiDB and its OBS download links", () => {
  let sim: Simulator;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({ geminidbPageSizeCap: 4 });
    base = `${sim.endpoints.geminidb}/v3/${sim.projectId}/instances`;
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.geminidb.clear();
    sim.clearRequests();
  });

  const linkFor = async (id: string): Promise<string> => {
    const { status, body } = await getJson(`${base}/${id}/ssl-cert/download-link`, sim.authToken);
    expect(status).toBe(200);
    const certs = asArray(asRecord(body).certs).map(asRecord);
    expect(certs[0]?.category).toBe("international");
    return String(certs[0]?.download_link);
  };

  it("pages with offset and limit under the server cap and reports total_count", async () => {
    for (let i = 0; i < 6; i++) sim.geminidb.addInstance({ name: `db-${i}` });
    const names: unknown[] = [];
    for (let offset = 0; offset < 6; offset += 4) {
      const { body } = await getJson(`${base}?offset=${offset}&limit=100`, sim.authToken);
      const record = asRecord(body);
      expect(record.total_count).toBe(6);
      names.push(...asArray(record.instances).map((i) => asRecord(i).name));
    }
    expect(names).toEqual(["db-0", "db-1", "db-2", "db-3", "db-4", "db-5"]);
  });

  it.each(["0", "101", "x"])("refuses limit=%s", async (limit) => {
    const { status, body } = await getJson(`${base}?limit=${limit}`, sim.authToken);
    expect(status).toBe(400);
    expect(asRecord(body).error_code).toBe("DBS.200001");
  });

  it("prints ssl and ccm_cert_info only when set", async () => {
    sim.geminidb.addInstance({ name: "plain" });
    sim.geminidb.addInstance({
      name: "managed",
      ssl: "1",
      datastore: { type: "mongodb", version: "4.0" },
      ccmCertInfo: { certId: "scs1", certType: "PCA" },
    });
    const instances = asArray(asRecord((await getJson(base, sim.authToken)).body).instances).map(
      asRecord,
    );
    expect(instances[0]).not.toHaveProperty("ssl");
    expect(instances[0]?.id).toMatch(/^[0-9a-f]{32}in06$/);
    expect(instances[1]).toMatchObject({
      ssl: "1",
      datastore: { type: "mongodb", version: "4.0" },
      ccm_cert_info: { cert_id: "scs1", cert_type: "PCA" },
      region: sim.region,
    });
  });

  it("serves the CA file through a pre-signed OBS link", async () => {
    const id = sim.geminidb.addInstance({ name: "db", ssl: "1", caFile: { bytes: CA_PEM } });
    const link = await linkFor(id);
    expect(link.startsWith(`${sim.endpoints.obs}/`)).toBe(true);
    expect(new URL(link).searchParams.get("AccessKeyId")).toBe(sim.obs.accessKeyId);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(await response.text()).toBe(CA_PEM);
  });

  it("answers {certs: []} without a CA file, and a configured error on demand", async () => {
    const id = sim.geminidb.addInstance({ name: "db", ssl: "0" });
    expect((await getJson(`${base}/${id}/ssl-cert/download-link`, sim.authToken)).body).toEqual({
      certs: [],
    });
    sim.geminidb.setDownloadLinkError(id, { status: 400, code: "DBS.280238", message: "SSL off" });
    const failed = await getJson(`${base}/${id}/ssl-cert/download-link`, sim.authToken);
    expect(failed).toMatchObject({
      status: 400,
      body: { error_code: "DBS.280238", error_msg: "SSL off" },
    });
    const missing = await getJson(`${base}/nope/ssl-cert/download-link`, sim.authToken);
    expect(missing.status).toBe(404);
  });

  it.each([
    [
      "a tampered signature",
      (u: URL) =>
        u.searchParams.set("Signature", "AAAA" + (u.searchParams.get("Signature") ?? "").slice(4)),
    ],
    [
      "a moved expiry",
      (u: URL) => u.searchParams.set("Expires", String(Number(u.searchParams.get("Expires")) + 60)),
    ],
    ["no signature", (u: URL) => u.searchParams.delete("Signature")],
  ])("refuses %s with 403 AccessDenied XML", async (_label, tamper) => {
    const id = sim.geminidb.addInstance({ name: "db", caFile: { bytes: CA_PEM } });
    const url = new URL(await linkFor(id));
    tamper(url);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/xml");
    expect(await response.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>/);
  });

  it("refuses an expired link", async () => {
    const id = sim.geminidb.addInstance({ name: "db" });
    sim.geminidb.setCaFile(id, CA_PEM, { linkTtlSeconds: -1 });
    const response = await fetch(await linkFor(id));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Request has expired");
  });

  it("redirects N hops, optionally ending on another host", async () => {
    const id = sim.geminidb.addInstance({ name: "db" });
    sim.geminidb.setCaFile(id, CA_PEM, { redirects: { hops: 3 } });
    let url = await linkFor(id);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(url, { redirect: "manual" });
      statuses.push(response.status);
      const location = response.headers.get("location");
      if (location === null) {
        expect(await response.text()).toBe(CA_PEM);
        break;
      }
      url = location;
    }
    expect(statuses).toEqual([302, 302, 302, 200]);

    const elsewhere = "http://localhost:1/ca.crt";
    sim.geminidb.setCaFile(id, CA_PEM, {
      redirects: { hops: 1, location: elsewhere, status: 301 },
    });
    const response = await fetch(await linkFor(id), { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe(elsewhere);
  });

  it("uses link overrides, categories and content types as given", async () => {
    const id = sim.geminidb.addInstance({ name: "db" });
    sim.geminidb.setCaFile(id, new Uint8Array([0x30, 0x82]), {
      linkOverride: "file:///etc/passwd",
      categories: ["international", "national"],
    });
    const { body } = await getJson(`${base}/${id}/ssl-cert/download-link`, sim.authToken);
    expect(body).toEqual({
      certs: [
        { category: "international", download_link: "file:///etc/passwd" },
        { category: "national", download_link: "file:///etc/passwd" },
      ],
    });
    sim.geminidb.setCaFile(id, new Uint8Array([0x30, 0x82]), {
      contentType: "application/zip",
      fileName: "Certificate_Download.zip",
    });
    const link = await linkFor(id);
    expect(new URL(link).pathname.endsWith("/Certificate_Download.zip")).toBe(true);
    const response = await fetch(link);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0x30, 0x82]));
  });

  it("serves oversized bodies with or without a Content-Length", async () => {
    const id = sim.geminidb.addInstance({ name: "db" });
    sim.geminidb.setCaFile(id, CA_PEM, { oversizeToBytes: 3_000_000 });
    const sized = await fetch(await linkFor(id));
    expect(sized.headers.get("content-length")).toBe("3000000");
    expect((await sized.arrayBuffer()).byteLength).toBe(3_000_000);
    sim.geminidb.setCaFile(id, CA_PEM, { oversizeToBytes: 200_000, declareLength: false });
    const chunked = await fetch(await linkFor(id));
    expect(chunked.headers.get("content-length")).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(200_000);
  });

  it("drips a slow body and answers a status override in OBS XML", async () => {
    const id = sim.geminidb.addInstance({ name: "db" });
    sim.geminidb.setCaFile(id, "x".repeat(40), { bytesPerSecond: 100 });
    const started = Date.now();
    const slow = await fetch(await linkFor(id));
    expect(await slow.text()).toBe("x".repeat(40));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);

    sim.geminidb.setCaFile(id, CA_PEM, { status: 503 });
    const failed = await fetch(await linkFor(id));
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain("<Code>ServiceUnavailable</Code>");
  });

  it("logs OBS requests with the signature and access key redacted", async () => {
    const id = sim.geminidb.addInstance({ name: "db", caFile: { bytes: CA_PEM } });
    const link = new URL(await linkFor(id));
    await (await fetch(link)).text();
    const entry = sim.requests.find((r) => r.service === "obs");
    expect(entry).toMatchObject({
      method: "GET",
      status: 200,
      authenticated: true,
      query: {
        AccessKeyId: "[REDACTED]",
        Signature: "[REDACTED]",
        Expires: link.searchParams.get("Expires"),
      },
    });
    const printed = JSON.stringify(sim.requests);
    expect(printed).not.toContain(link.searchParams.get("Signature"));
    expect(printed).not.toContain(sim.authToken);
    const api = sim.requests.find((r) => r.service === "geminidb");
    expect(api).toMatchObject({ authenticated: true, status: 200 });
    expect(api?.headerNames).toContain("x-auth-token");
  });
});
