// SSRF and limits of the CA download: links and redirects that point at schemes, hosts and
// address forms that are not allowed (metadata service, loopback in every spelling, IPv4-mapped
// IPv6, user info, file:/data:) are refused before any connection and counted as
// host_not_allowed; an allowed host NAME that resolves to loopback is refused too unless the
// address literal itself is allowed; and a 100 MB file stops at HWCERT_DOWNLOAD_MAX_BYTES with
// memory that stays flat.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkResolvedAddress, type LinkPolicy } from "../../src/cloud/link-policy.js";
import {
  generateCaCertificate,
  startSimulator,
  type CaFileOptions,
  type GeneratedCa,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { ERRORS, LINK_UP, NOT_AFTER } from "./world.js";

const STATUS = "hwcert_geminidb_ca_download_status_code";
const BYTES = "hwcert_geminidb_ca_download_bytes";

let sim: Simulator;
let ca: GeneratedCa;
let exporter: TestDaemon | undefined;

beforeAll(async () => {
  sim = await startSimulator();
  ca = await generateCaCertificate({
    commonName: "Guarded CA",
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 400 * 86_400_000),
  });
});
afterEach(async () => {
  await exporter?.stop();
  exporter = undefined;
  sim.geminidb.clear();
  sim.faults.clear();
  sim.clearRequests();
});
afterAll(async () => {
  await sim.close();
});

const obsPort = (): string => new URL(sim.endpoints.obs).port;

/** A correctly signed path+query on the simulator's OBS, to put behind other host spellings. */
function signedPathOf(instanceId: string): string {
  const location = sim.geminidb.caObjectLocation(instanceId)!;
  const url = new URL(sim.obs.presign(location.bucket, location.key, 600));
  return `${url.pathname}${url.search}`;
}

function addInstance(name: string, options: CaFileOptions = {}): string {
  return sim.geminidb.addInstance({
    name,
    ssl: "1",
    caFile: { bytes: ca.certificatePem, options },
  });
}

function failureOf(instanceId: string): Record<string, unknown> | undefined {
  return exporter!.logs
    .withMessage("GeminiDB CA download failed")
    .find((entry) => entry["instanceId"] === instanceId);
}

const geminidbErrors = (samples: Sample[], reason: string) =>
  valueOf(samples, ERRORS, { source: "geminidb", reason });

describe("download links to hosts that are not allowed", () => {
  // Each spelling would reach the simulator's OBS port on this machine if it were followed.
  const hostile: [string, (path: string) => string, string][] = [
    ["the metadata service", () => "https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["loopback", (p) => `http://127.0.0.1:${obsPort()}${p}`, "127.0.0.1"],
    ["loopback in hex", (p) => `http://0x7f000001:${obsPort()}${p}`, "127.0.0.1"],
    ["loopback in decimal", (p) => `http://2130706433:${obsPort()}${p}`, "127.0.0.1"],
    ["loopback in octal, short form", (p) => `http://0177.1:${obsPort()}${p}`, "127.0.0.1"],
    ["IPv6 loopback", (p) => `http://[::1]:${obsPort()}${p}`, "[::1]"],
    [
      "IPv4-mapped IPv6 loopback",
      (p) => `http://[::ffff:127.0.0.1]:${obsPort()}${p}`,
      "[::ffff:7f00:1]",
    ],
    [
      "IPv4-mapped metadata service",
      () => "https://[::ffff:169.254.169.254]/",
      "[::ffff:a9fe:a9fe]",
    ],
    ["the unspecified address", (p) => `http://0.0.0.0:${obsPort()}${p}`, "0.0.0.0"],
    ["localhost by name", (p) => `http://localhost:${obsPort()}${p}`, "localhost"],
    ["a private address", () => "https://10.0.0.1/ca.crt", "10.0.0.1"],
    ["another host", () => "https://evil.example.com/ca.crt", "evil.example.com"],
    [
      "a look-alike suffix",
      () => "https://obs.myhuaweicloud.com.evil.example/ca.crt",
      "obs.myhuaweicloud.com.evil.example",
    ],
  ];

  it("refuses every spelling before connecting, counts each, and serves nothing", async () => {
    const ids = hostile.map(([name]) => addInstance(`hostile ${name}`));
    hostile.forEach(([, link], i) => {
      const id = ids[i]!;
      sim.geminidb.setCaFile(id, ca.certificatePem, { linkOverride: link(signedPathOf(id)) });
    });
    // The production allow list: no loopback, no literal at all.
    exporter = await startTestDaemon(sim, {
      HWCERT_DOWNLOAD_ALLOWED_HOSTS: "*.myhuaweicloud.com",
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    hostile.forEach(([name, , host], i) => {
      const id = ids[i]!;
      expect(valueOf(samples, LINK_UP, { instance_id: id }), name).toBe(0);
      expect(valueOf(samples, STATUS, { instance_id: id }), name).toBe(0);
      expect(select(samples, NOT_AFTER, { resource_id: id }), name).toHaveLength(0);
      expect(failureOf(id), name).toMatchObject({
        reason: "host_not_allowed",
        detail: `host ${host} is not allowed`,
      });
    });
    expect(geminidbErrors(samples, "host_not_allowed")).toBe(hostile.length);
    expect(sim.requests.filter((r) => r.service === "obs")).toEqual([]);
  });

  it.each([
    ["file:", "file:///etc/passwd", "scheme file is not allowed"],
    ["data:", "data:text/plain;base64,LS0tLS1CRUdJTg==", "scheme data is not allowed"],
    ["ftp:", "ftp://127.0.0.1/ca.crt", "scheme ftp is not allowed"],
    ["gopher:", "gopher://127.0.0.1:70/_GET", "scheme gopher is not allowed"],
    ["javascript:", "javascript:alert(1)", "scheme javascript is not allowed"],
    ["user info", "http://user:secret@127.0.0.1/ca.crt", "links with user info are not allowed"],
    ["not a URL", "not a url at all", "the link is not a valid URL"],
  ])("refuses a %s link", async (_name, link, detail) => {
    const id = addInstance("scheme", { linkOverride: link });
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: id })).toBe(0);
    expect(geminidbErrors(samples, "host_not_allowed")).toBe(1);
    expect(failureOf(id)).toMatchObject({ reason: "host_not_allowed", detail });
    expect(sim.requests.filter((r) => r.service === "obs")).toEqual([]);
  });

  it("refuses redirects from an allowed host to every disallowed target", async () => {
    const targets: [string, string][] = [
      ["https://169.254.169.254/latest/meta-data/", "host 169.254.169.254 is not allowed"],
      [`http://[::1]:${obsPort()}/x`, "host [::1] is not allowed"],
      ["http://[::ffff:169.254.169.254]/", "host [::ffff:a9fe:a9fe] is not allowed"],
      [`http://localhost:${obsPort()}/x`, "host localhost is not allowed"],
      ["https://10.0.0.1/ca.crt", "host 10.0.0.1 is not allowed"],
      ["file:///etc/passwd", "scheme file is not allowed"],
      ["https://evil.example.com/ca.crt", "host evil.example.com is not allowed"],
    ];
    const ids = targets.map(([location], i) =>
      addInstance(`redirect ${i}`, { redirects: { hops: 2, location } }),
    );
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    targets.forEach(([location, detail], i) => {
      const id = ids[i]!;
      expect(valueOf(samples, LINK_UP, { instance_id: id }), location).toBe(0);
      expect(valueOf(samples, STATUS, { instance_id: id }), location).toBe(302);
      expect(failureOf(id), location).toMatchObject({
        reason: "host_not_allowed",
        detail: `redirect 2: ${detail}`,
      });
    });
    expect(geminidbErrors(samples, "host_not_allowed")).toBe(targets.length);
    // Two hops on the allowed host each, never the third.
    expect(sim.requests.filter((r) => r.service === "obs")).toHaveLength(2 * targets.length);
  });
});

describe("an allowed host name that resolves to a refused address", () => {
  // DNS decides what a name means at connection time: a changed or rebound record must not turn
  // an allowed name into a way to the metadata service or the host's own ports. Here the name is
  // `localhost` (127.0.0.1, where the main simulator listens), allowed by name only; the
  // instances live on a second simulator on 127.0.0.2, whose address is allowed.
  it("is refused, as link and as redirect target, before any connection", async () => {
    const other = await startSimulator({ host: "127.0.0.2" });
    try {
      // Correctly signed for the main simulator: it would answer if the daemon connected.
      const target = new URL(sim.obs.presign("bucket", "ca.crt", 600));
      const viaName = `http://localhost:${obsPort()}${target.pathname}${target.search}`;
      const direct = other.geminidb.addInstance({
        name: "direct",
        ssl: "1",
        caFile: { bytes: ca.certificatePem, options: { linkOverride: viaName } },
      });
      const redirected = other.geminidb.addInstance({
        name: "redirected",
        ssl: "1",
        caFile: {
          bytes: ca.certificatePem,
          options: { redirects: { hops: 1, location: viaName } },
        },
      });
      exporter = await startTestDaemon(other, {
        HWCERT_DOWNLOAD_ALLOWED_HOSTS: "localhost,127.0.0.2",
      });
      await exporter.waitForPolls(1);
      const samples = await exporter.scrape();
      expect(valueOf(samples, LINK_UP, { instance_id: direct })).toBe(0);
      expect(valueOf(samples, LINK_UP, { instance_id: redirected })).toBe(0);
      expect(geminidbErrors(samples, "host_not_allowed")).toBe(2);
      expect(failureOf(direct)?.["detail"]).toBe(
        "host localhost resolves to 127.0.0.1, which is not allowed",
      );
      expect(failureOf(redirected)?.["detail"]).toBe(
        "redirect 1: host localhost resolves to 127.0.0.1, which is not allowed",
      );
      expect(sim.requests.filter((r) => r.service === "obs")).toEqual([]);
      // Only the redirecting first hop, on the allowed address, was fetched.
      expect(other.requests.filter((r) => r.service === "obs")).toHaveLength(1);
    } finally {
      await exporter?.stop();
      exporter = undefined;
      await other.close();
    }
  });

  it("is followed when the address literal is on the allow list too", async () => {
    const id = addInstance("allowed");
    sim.geminidb.setCaFile(id, ca.certificatePem, {
      linkOverride: `http://localhost:${obsPort()}${signedPathOf(id)}`,
    });
    exporter = await startTestDaemon(sim, {
      HWCERT_DOWNLOAD_ALLOWED_HOSTS: "localhost,127.0.0.1,[::1]",
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: id })).toBe(1);
    expect(select(samples, NOT_AFTER, { resource_id: id })).toHaveLength(1);
  });

  const policy: LinkPolicy = { allowedHosts: ["*.myhuaweicloud.com"], allowHttp: false };
  it.each([
    ["127.0.0.1", false],
    ["127.255.255.254", false],
    ["169.254.169.254", false],
    ["169.254.0.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::1", false],
    ["::", false],
    ["fe80::1", false],
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:a9fe:a9fe", false],
    ["::127.0.0.1", false],
    ["64:ff9b::a9fe:a9fe", false],
    ["64:ff9b::7f00:1", false],
    // Huawei Cloud's intranet DNS and VPC endpoints answer OBS names with private addresses.
    ["100.125.1.250", true],
    ["10.1.2.3", true],
    ["172.16.0.10", true],
    ["192.168.0.1", true],
    ["fd00::10", true],
    ["64:ff9b::a00:1", true],
    ["8.8.8.8", true],
    ["2001:db8::1", true],
  ])("an allowed name resolving to %s → allowed %s", (address, allowed) => {
    expect(checkResolvedAddress("obs.myhuaweicloud.com", address, policy).ok).toBe(allowed);
  });

  it.each([
    ["127.0.0.1", ["127.0.0.1"]],
    ["::1", ["[::1]"]],
    ["::ffff:127.0.0.1", ["[::ffff:7f00:1]"]],
  ])("allows %s when the literal %j is itself allowed", (address, allowedHosts) => {
    const verdict = checkResolvedAddress("files.test", address, { allowedHosts, allowHttp: true });
    expect(verdict.ok).toBe(true);
  });
});

describe("a 100 MB CA file", () => {
  const MAX_BYTES = 65_536;
  const HUNDRED_MB = 100 * 1024 * 1024;

  it.each([
    ["announced by Content-Length", true],
    ["sent chunked, with no length", false],
  ])("%s: stops at HWCERT_DOWNLOAD_MAX_BYTES with flat memory", async (_name, declareLength) => {
    const id = addInstance("huge", { oversizeToBytes: HUNDRED_MB, declareLength });
    exporter = await startTestDaemon(sim, {
      HWCERT_DOWNLOAD_MAX_BYTES: String(MAX_BYTES),
      HWCERT_HTTP_TIMEOUT_SECONDS: "30",
    });
    await exporter.waitForPolls(1);
    const before = process.memoryUsage();
    for (let poll = 0; poll < 3; poll++) await exporter.daemon.pollNow();
    const after = process.memoryUsage();
    const samples = await exporter.scrape();
    expect(valueOf(samples, LINK_UP, { instance_id: id })).toBe(0);
    expect(geminidbErrors(samples, "too_large")).toBe(4);
    expect(failureOf(id)).toMatchObject({
      reason: "too_large",
      detail: `larger than ${MAX_BYTES} bytes`,
    });
    const read = valueOf(samples, BYTES, { instance_id: id });
    // Refused from the header without reading, or cut off within a few socket reads of the cap.
    if (declareLength) expect(read).toBeLessThanOrEqual(MAX_BYTES);
    else expect(read).toBeGreaterThan(MAX_BYTES);
    expect(read).toBeLessThan(MAX_BYTES + 1024 * 1024);
    // Three 100 MB bodies read into memory would grow it by hundreds of megabytes.
    const grownMb = (after.rss - before.rss) / 1024 / 1024;
    expect(grownMb, `RSS grew by ${grownMb.toFixed(1)} MB`).toBeLessThan(64);
  });
});
