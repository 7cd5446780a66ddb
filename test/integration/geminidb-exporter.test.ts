// GeminiDB CA certificates end to end: the daemon discovers instances, obtains their download
// links, downloads the CA files through the simulator's OBS host under the exporter's limits,
// and reports link health and every CA certificate, compared with OpenSSL's reading.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  buildZip,
  generateCaCertificate,
  pemToDer,
  startSimulator,
  type CaFileOptions,
  type GeneratedCa,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { certificateBlocks, commonName, readWithOpenssl } from "../helpers/openssl.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const NOT_AFTER = "hwcert_certificate_not_after_timestamp_seconds";
const LINK_UP = "hwcert_geminidb_ca_link_up";
const STATUS = "hwcert_geminidb_ca_download_status_code";
const INSTANCE_INFO = "hwcert_geminidb_instance_info";
const DAY = 86_400_000;

let sim: Simulator;
let caA: GeneratedCa;
let caB: GeneratedCa;

beforeAll(async () => {
  sim = await startSimulator({ geminidbPageSizeCap: 2 });
  const now = Date.now();
  caA = await generateCaCertificate({
    commonName: "GeminiDB CA A",
    notBefore: new Date(now - 100 * DAY),
    notAfter: new Date(now + 20 * DAY),
  });
  caB = await generateCaCertificate({
    commonName: "GeminiDB CA B",
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 900 * DAY),
    keyAlgorithm: "RSA-2048",
  });
});

afterAll(async () => {
  await sim.close();
});

describe("GeminiDB CA files in every format", () => {
  let exporter: TestDaemon;
  let samples: Sample[];
  let text: string;
  const ids: Record<string, string> = {};

  const add = (key: string, caFile?: { bytes: Uint8Array | string; options?: CaFileOptions }) => {
    ids[key] = sim.geminidb.addInstance({
      name: `gemini-${key}`,
      ssl: "1",
      ...(caFile ? { caFile } : {}),
    });
  };

  beforeAll(async () => {
    add("pem", { bytes: caA.certificatePem });
    add("bundle", {
      bytes: `${caA.certificatePem}\r\n${caB.certificatePem}`.replaceAll("\n", "\r\n"),
    });
    add("der", { bytes: pemToDer(caB.certificatePem), options: { fileName: "ca.der" } });
    add("zip", {
      bytes: buildZip([
        { name: "Certificate_Download/ca.pem", data: caA.certificatePem, deflate: true },
        { name: "Certificate_Download/ca.der", data: pemToDer(caB.certificatePem) },
        { name: "README.txt", data: "how to use these files" },
      ]),
      options: { fileName: "Certificate_Download.zip" },
    });
    add("two-categories", {
      bytes: caA.certificatePem,
      options: { categories: ["international", "national"] },
    });
    add("redirected", { bytes: caA.certificatePem, options: { redirects: { hops: 2 } } });
    add("not-found", { bytes: caA.certificatePem, options: { status: 404 } });
    add("garbage", { bytes: "this is not a certificate" });
    add("oversized", { bytes: caA.certificatePem, options: { oversizeToBytes: 3 * 1024 * 1024 } });
    add("oversized-chunked", {
      bytes: caA.certificatePem,
      options: { oversizeToBytes: 3 * 1024 * 1024, declareLength: false },
    });
    add("evil-redirect", {
      bytes: caA.certificatePem,
      options: { redirects: { hops: 1, location: "http://169.254.169.254/latest/meta-data/" } },
    });
    add("loop", { bytes: caA.certificatePem, options: { redirects: { hops: 5 } } });
    add("ftp-link", {
      bytes: caA.certificatePem,
      options: { linkOverride: "ftp://127.0.0.1/ca.crt" },
    });
    add("link-api-500");
    sim.geminidb.setCaFile(ids["link-api-500"]!, caA.certificatePem);
    sim.geminidb.setDownloadLinkError(ids["link-api-500"]!, { status: 500, code: "DBS.200001" });
    ids["ssl-off"] = sim.geminidb.addInstance({ name: "gemini-ssl-off", ssl: "0" });
    ids["ccm"] = sim.geminidb.addInstance({
      name: "gemini-ccm",
      ssl: "1",
      ccmCertInfo: { certId: "scs1700000000000001", certType: "SSL" },
    });
    ids["ssl-unknown"] = sim.geminidb.addInstance({ name: "gemini-ssl-unknown" });
    ids["ssl-on-no-link"] = sim.geminidb.addInstance({ name: "gemini-ssl-on-no-link", ssl: "1" });

    exporter = await startTestDaemon(sim, { HWCERT_DOWNLOAD_MAX_BYTES: "65536" });
    await exporter.waitForPolls(1);
    text = await exporter.scrapeText();
    samples = await exporter.scrape();
  });

  afterAll(async () => {
    await exporter.stop();
    sim.geminidb.clear();
  });

  const linkOf = (key: string, category = "international") => ({
    instance_id: ids[key]!,
    category,
  });

  it("discovers every instance across capped pages", () => {
    const found = new Set(select(samples, INSTANCE_INFO).map((s) => s.labels["instance_id"]));
    expect(found).toEqual(new Set(Object.values(ids)));
    const pages = sim.requests.filter((r) => r.path.endsWith("/instances"));
    expect(pages.length).toBe(Math.ceil(Object.keys(ids).length / 2));
  });

  it.each([
    ["pem", ["A"]],
    ["bundle", ["A", "B"]],
    ["der", ["B"]],
    ["zip", ["A", "B"]],
    ["redirected", ["A"]],
    ["two-categories", ["A"]],
  ])("reads the %s CA file and matches OpenSSL", (key, names) => {
    const cas = names.map((name) => (name === "A" ? caA : caB));
    const categories = key === "two-categories" ? ["international", "national"] : ["international"];
    for (const category of categories) {
      expect(valueOf(samples, LINK_UP, linkOf(key, category))).toBe(1);
      expect(valueOf(samples, STATUS, linkOf(key, category))).toBe(200);
    }
    const series = select(samples, NOT_AFTER, { source: "geminidb", resource_id: ids[key]! });
    expect(series).toHaveLength(cas.length);
    for (const ca of cas) {
      const reading = readWithOpenssl(certificateBlocks(ca.certificatePem)[0]!);
      const sample = series.find((s) => s.labels["serial_number"] === reading.serialNumber);
      expect(sample?.value).toBe(reading.notAfter);
      expect(sample?.labels).toMatchObject({
        resource_name: `gemini-${key}`,
        chain_position: "root",
        subject_cn: commonName(reading.subject),
        issuer_cn: commonName(reading.issuer),
        region: sim.region,
        project_id: sim.projectId,
      });
      expect(
        valueOf(samples, "hwcert_certificate_info", {
          resource_id: ids[key]!,
          fingerprint_sha256: reading.fingerprintSha256,
        }),
      ).toBe(1);
    }
  });

  it("reports download size and duration", () => {
    expect(valueOf(samples, "hwcert_geminidb_ca_download_bytes", linkOf("pem"))).toBe(
      Buffer.byteLength(caA.certificatePem),
    );
    const duration = valueOf(
      samples,
      "hwcert_geminidb_ca_download_duration_seconds",
      linkOf("pem"),
    );
    expect(duration).toBeGreaterThan(0);
    expect(duration).toBeLessThan(5);
  });

  it.each([
    ["not-found", 404],
    ["garbage", 200],
    ["oversized", 200],
    ["oversized-chunked", 200],
    ["evil-redirect", 302],
    ["loop", 302],
    ["ftp-link", 0],
    ["link-api-500", 0],
  ])("marks the %s link down (status %i) without series", (key, status) => {
    expect(valueOf(samples, LINK_UP, { instance_id: ids[key]! })).toBe(0);
    expect(valueOf(samples, STATUS, { instance_id: ids[key]! })).toBe(status);
    expect(select(samples, NOT_AFTER, { resource_id: ids[key]! })).toHaveLength(0);
  });

  it("counts each failure under its reason", () => {
    const errors = (reason: string) =>
      valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason });
    expect(errors("http_status")).toBe(1);
    expect(errors("bad_content")).toBe(1);
    expect(errors("too_large")).toBe(2);
    expect(errors("host_not_allowed")).toBe(2);
    expect(errors("too_many_redirects")).toBe(1);
    expect(errors("link_api_error")).toBe(2);
    expect(errors("timeout")).toBe(0);
  });

  it("refuses an announced oversized file before reading its body", () => {
    const read = valueOf(samples, "hwcert_geminidb_ca_download_bytes", linkOf("oversized"));
    expect(read).toBeLessThanOrEqual(65_536);
  });

  it("stops reading an unannounced oversized file just past the byte cap", () => {
    const read = valueOf(samples, "hwcert_geminidb_ca_download_bytes", linkOf("oversized-chunked"));
    expect(read).toBeGreaterThan(65_536);
    expect(read).toBeLessThan(1024 * 1024);
  });

  it("never follows a redirect to a host that is not allowed", () => {
    expect(sim.requests.some((r) => r.path.includes("latest/meta-data"))).toBe(false);
    const failure = exporter.logs
      .withMessage("GeminiDB CA download failed")
      .find((entry) => entry["instanceId"] === ids["evil-redirect"]);
    expect(failure).toMatchObject({
      reason: "host_not_allowed",
      detail: "redirect 1: host 169.254.169.254 is not allowed",
    });
  });

  it("does not probe SSL-off or CCM instances and reports them by origin", () => {
    for (const [key, ssl, origin] of [
      ["ssl-off", "0", ""],
      ["ccm", "1", "ccm"],
      ["ssl-unknown", "", ""],
      ["pem", "1", "download_link"],
    ] as const) {
      const info = select(samples, INSTANCE_INFO, { instance_id: ids[key]! });
      expect(info).toHaveLength(1);
      expect(info[0]!.labels).toMatchObject({
        ssl,
        cert_origin: origin,
        datastore_type: "cassandra",
      });
    }
    for (const key of ["ssl-off", "ccm", "ssl-unknown"]) {
      expect(select(samples, LINK_UP, { instance_id: ids[key]! })).toHaveLength(0);
    }
    const probed = (key: string) =>
      sim.requests.some((r) => r.path.includes(`${ids[key]!}/ssl-cert/download-link`));
    expect(probed("ssl-off")).toBe(false);
    expect(probed("ccm")).toBe(false);
    expect(probed("ssl-unknown")).toBe(true);
  });

  it("reports an SSL instance without any link as broken", () => {
    expect(valueOf(samples, LINK_UP, { instance_id: ids["ssl-on-no-link"]!, category: "" })).toBe(
      0,
    );
  });

  it("keeps the signed query out of logs and metrics", () => {
    const signed = exporter.logs.text.match(/Signature=|AccessKeyId=|Expires=/);
    expect(signed).toBeNull();
    expect(text).not.toMatch(/Signature=|AccessKeyId=/);
    expect(exporter.logs.text).toContain("[REDACTED]");
  });

  it("passes promtool check metrics", (context) => {
    expect(expectPromtoolClean(text, () => context.skip())).toBe("");
  });
});

describe("GeminiDB changes, outages and limits", () => {
  let exporter: TestDaemon | undefined;

  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    sim.faults.clear();
    sim.geminidb.clear();
    sim.clearRequests();
  });

  it("keeps the last good series through a list outage and drops vanished instances after", async () => {
    const keep = sim.geminidb.addInstance({
      name: "keep",
      ssl: "1",
      caFile: { bytes: caA.certificatePem },
    });
    const gone = sim.geminidb.addInstance({
      name: "gone",
      ssl: "1",
      caFile: { bytes: caB.certificatePem },
    });
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);

    sim.faults.add({
      service: "geminidb",
      match: { operation: "geminidb.listInstances" },
      action: { kind: "status", status: 503 },
    });
    sim.geminidb.removeInstance(gone);
    await exporter.daemon.pollNow();
    let samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "geminidb" })).toBe(0);
    expect(select(samples, NOT_AFTER, { resource_id: gone })).toHaveLength(1);
    expect(valueOf(samples, LINK_UP, { instance_id: keep })).toBe(1);
    expect(
      valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason: "http_5xx" }),
    ).toBe(1);

    sim.faults.clear();
    await exporter.daemon.pollNow();
    samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_source_up", { source: "geminidb" })).toBe(1);
    expect(select(samples, NOT_AFTER, { resource_id: gone })).toHaveLength(0);
    expect(select(samples, INSTANCE_INFO, { instance_id: gone })).toHaveLength(0);
    expect(select(samples, NOT_AFTER, { resource_id: keep })).toHaveLength(1);
  });

  it("keeps a broken link's last good CA while reporting the link down", async () => {
    const id = sim.geminidb.addInstance({
      name: "flaky",
      ssl: "1",
      caFile: { bytes: caA.certificatePem },
    });
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    sim.geminidb.setCaFile(id, caA.certificatePem, { status: 403 });
    await exporter.daemon.pollNow();
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: id })).toBe(0);
    expect(valueOf(samples, STATUS, { instance_id: id })).toBe(403);
    expect(select(samples, NOT_AFTER, { resource_id: id })).toHaveLength(1);
  });

  it("times out a slow download and leaves other instances alone", async () => {
    const slow = sim.geminidb.addInstance({
      name: "slow",
      ssl: "1",
      caFile: { bytes: caA.certificatePem, options: { bytesPerSecond: 20 } },
    });
    const fine = sim.geminidb.addInstance({
      name: "fine",
      ssl: "1",
      caFile: { bytes: caB.certificatePem },
    });
    // The slow file takes half a minute; 2 s leaves the fine one room on a busy machine.
    exporter = await startTestDaemon(sim, { HWCERT_HTTP_TIMEOUT_SECONDS: "2" });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: slow })).toBe(0);
    expect(valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason: "timeout" })).toBe(
      1,
    );
    expect(valueOf(samples, LINK_UP, { instance_id: fine })).toBe(1);
  });

  it("refuses http links unless allowed, and hosts off the allow list", async () => {
    const id = sim.geminidb.addInstance({
      name: "plain",
      ssl: "1",
      caFile: { bytes: caA.certificatePem },
    });
    exporter = await startTestDaemon(sim, { HWCERT_DOWNLOAD_ALLOW_HTTP: "false" });
    await exporter.waitForPolls(1);
    expect(valueOf(await exporter.scrape(), LINK_UP, { instance_id: id })).toBe(0);
    await exporter.stop();
    exporter = await startTestDaemon(sim, { HWCERT_DOWNLOAD_ALLOWED_HOSTS: "*.myhuaweicloud.com" });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: id })).toBe(0);
    expect(
      valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason: "host_not_allowed" }),
    ).toBe(1);
    expect(sim.requests.some((r) => r.service === "obs")).toBe(false);
  });

  it("watches only the configured instances", async () => {
    const wanted = sim.geminidb.addInstance({
      name: "wanted",
      ssl: "1",
      caFile: { bytes: caA.certificatePem },
    });
    sim.geminidb.addInstance({ name: "other", ssl: "1", caFile: { bytes: caB.certificatePem } });
    exporter = await startTestDaemon(sim, {
      HWCERT_GEMINIDB_INSTANCE_IDS: `${wanted},ffffffffffffffffffffffffffffffffin06`,
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(select(samples, INSTANCE_INFO).map((s) => s.labels["instance_id"])).toEqual([wanted]);
    expect(
      valueOf(samples, "hwcert_errors_total", { source: "geminidb", reason: "not_found" }),
    ).toBe(1);
  });

  it("polls only the sources asked for", async () => {
    sim.geminidb.addInstance({ name: "ignored", ssl: "1", caFile: { bytes: caA.certificatePem } });
    exporter = await startTestDaemon(sim, { HWCERT_SOURCES: "elb" });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(select(samples, "hwcert_source_up").map((s) => s.labels["source"])).toEqual(["elb"]);
    expect(sim.requests.some((r) => r.service === "geminidb")).toBe(false);
  });
});
