// The daemon end to end on ELB certificates: real daemon, real HTTP, the project's simulator,
// and every X.509 value compared with OpenSSL's reading of the same certificate.

import { get } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  generateChain,
  seedDemoScenario,
  startSimulator,
  toOneLinePem,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { certificateBlocks, commonName, readWithOpenssl } from "../helpers/openssl.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const NOT_AFTER = "hwcert_certificate_not_after_timestamp_seconds";
const NOT_BEFORE = "hwcert_certificate_not_before_timestamp_seconds";
const EXPIRE = "hwcert_elb_certificate_expire_timestamp_seconds";
const INFO = "hwcert_certificate_info";
const BINDINGS = "hwcert_elb_certificate_listener_bindings";
const LISTENER_INFO = "hwcert_elb_certificate_listener_info";

describe("ELB certificates, demo scenario", () => {
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  let exporter: TestDaemon;
  let samples: Sample[];
  let text: string;

  beforeAll(async () => {
    sim = await startSimulator({ elbPageSizeCap: 3 });
    scenario = await seedDemoScenario(sim, Date.now());
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    text = await exporter.scrapeText();
    samples = await exporter.scrape();
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  it("follows next_marker across capped pages and reports every certificate", () => {
    const listCalls = sim.requests.filter((r) => r.path.endsWith("/elb/certificates"));
    expect(listCalls.length).toBe(Math.ceil(scenario.elb.length / 3));
    const ids = new Set(select(samples, EXPIRE).map((s) => s.labels["certificate_id"]));
    expect(ids).toEqual(new Set(scenario.elb.map((c) => c.id)));
  });

  it("exports expire_time in both API formats as UTC seconds", () => {
    for (const certificate of scenario.elb) {
      expect(
        valueOf(samples, EXPIRE, { certificate_id: certificate.id }),
        certificate.spec.key,
      ).toBe(certificate.leafNotAfter.getTime() / 1000);
      const sample = select(samples, EXPIRE, { certificate_id: certificate.id })[0]!;
      expect(sample.labels).toEqual({
        region: sim.region,
        project_id: sim.projectId,
        certificate_id: certificate.id,
        certificate_name: certificate.spec.name,
        certificate_type: certificate.spec.type,
      });
    }
  });

  it("matches OpenSSL for every certificate of every readable PEM", () => {
    for (const certificate of scenario.elb.filter((c) => c.spec.pemForm !== "broken")) {
      const blocks = certificateBlocks(certificate.certificatePem);
      const series = select(samples, NOT_AFTER, { resource_id: certificate.id });
      expect(series.length, certificate.spec.key).toBe(blocks.length);
      for (const block of blocks) {
        const reading = readWithOpenssl(block);
        const labels = { resource_id: certificate.id, serial_number: reading.serialNumber };
        const notAfter = select(samples, NOT_AFTER, labels);
        expect(notAfter, `${certificate.spec.key} ${reading.serialNumber}`).toHaveLength(1);
        expect(notAfter[0]!.value).toBe(reading.notAfter);
        expect(notAfter[0]!.labels["subject_cn"]).toBe(commonName(reading.subject));
        expect(notAfter[0]!.labels["issuer_cn"]).toBe(commonName(reading.issuer));
        expect(notAfter[0]!.labels["resource_name"]).toBe(certificate.spec.name);
        expect(notAfter[0]!.labels["source"]).toBe("elb");
        expect(valueOf(samples, NOT_BEFORE, labels)).toBe(reading.notBefore);
        const info = select(samples, INFO, labels);
        expect(info).toHaveLength(1);
        expect(info[0]!.labels["fingerprint_sha256"]).toBe(reading.fingerprintSha256);
        expect(info[0]!.value).toBe(1);
      }
    }
  });

  it.each([
    ["healthy", ["leaf", "intermediate"]],
    ["intermediate-expires-first", ["leaf", "intermediate", "root"]],
    ["expired", ["root"]],
    ["client-ca", ["root"]],
    ["one-line-pem", ["leaf", "intermediate"]],
  ])("labels the chain of %s", (key, positions) => {
    const certificate = scenario.elb.find((c) => c.spec.key === key)!;
    const found = select(samples, NOT_AFTER, { resource_id: certificate.id })
      .map((s) => s.labels["chain_position"])
      .sort();
    expect(found).toEqual([...positions].sort());
  });

  it("counts each certificate's listeners per role as the scenario binds them; stored ones 0", () => {
    for (const certificate of scenario.elb) {
      for (const role of ["default", "sni", "client_ca"] as const) {
        const expected = certificate.spec.listeners.filter((use) => use.role === role).length;
        expect(
          valueOf(samples, BINDINGS, { certificate_id: certificate.id, role }),
          `${certificate.spec.key} ${role}`,
        ).toBe(expected);
      }
    }
    const stored = scenario.elb.filter((c) => c.spec.listeners.length === 0);
    expect(stored.map((c) => c.spec.name).sort()).toEqual([
      "mail-example-com",
      "old-www-example-com",
    ]);
  });

  it("names each listener that uses a certificate", () => {
    const uses = select(samples, LISTENER_INFO).map((sample) => {
      const certificate = scenario.elb.find((c) => c.id === sample.labels["certificate_id"]);
      const listener = scenario.listeners.find((l) => l.id === sample.labels["listener_id"]);
      expect(sample.labels).toMatchObject({
        listener_name: listener?.spec.name,
        loadbalancer_id: listener?.loadBalancerId,
        protocol: "HTTPS",
        port: "443",
      });
      return `${certificate?.spec.key ?? "?"} → ${listener?.spec.key ?? "?"} ${sample.labels["role"] ?? ""}`;
    });
    expect(uses.sort()).toEqual(
      scenario.elb
        .flatMap((c) =>
          c.spec.listeners.map((use) => `${c.spec.key} → ${use.listener} ${use.role}`),
        )
        .sort(),
    );
  });

  it("keeps reporting an expired certificate", () => {
    const expired = scenario.elb.find((c) => c.spec.key === "expired")!;
    expect(valueOf(samples, EXPIRE, { certificate_id: expired.id })).toBeLessThan(
      Date.now() / 1000,
    );
    expect(select(samples, NOT_AFTER, { resource_id: expired.id })).toHaveLength(1);
  });

  it("exports expire_time for a broken PEM, only its readable blocks, and counts it", () => {
    const broken = scenario.elb.find((c) => c.spec.key === "broken-pem")!;
    expect(select(samples, EXPIRE, { certificate_id: broken.id })).toHaveLength(1);
    // The leaf block is corrupt; the intermediate after it is intact and still reported.
    expect(
      select(samples, NOT_AFTER, { resource_id: broken.id }).map((s) => s.labels["chain_position"]),
    ).toEqual(["intermediate"]);
    const bad =
      valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "bad_pem" }) +
      valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "bad_certificate" });
    expect(bad).toBe(1);
    const warning = exporter.logs
      .withMessage("resource problem")
      .find((entry) => entry["resourceId"] === broken.id);
    expect(warning).toMatchObject({ level: "warn", source: "elb", resourceName: broken.spec.name });
    expect(["bad_pem", "bad_certificate"]).toContain(warning?.["reason"]);
    expect(
      valueOf(samples, "hwcert_resource_problem", {
        source: "elb",
        region: sim.region,
        project_id: sim.projectId,
        resource_id: broken.id,
        resource_name: broken.spec.name,
      }),
    ).toBe(1);
  });

  it("reports the source up with its last success time", () => {
    const labels = { source: "elb", region: sim.region, project_id: sim.projectId };
    expect(valueOf(samples, "hwcert_source_up", labels)).toBe(1);
    const lastSuccess = valueOf(samples, "hwcert_source_last_success_timestamp_seconds", labels);
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);
  });

  it("pre-sets every error reason to zero", () => {
    const reasons = select(samples, "hwcert_errors_total", { source: "elb" });
    expect(reasons.length).toBeGreaterThanOrEqual(13);
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "rate_limited" })).toBe(
      0,
    );
  });

  it("counts API requests by operation and status", () => {
    expect(
      valueOf(samples, "hwcert_api_requests_total", {
        service: "elb",
        operation: "list_certificates",
        code: "200",
      }),
    ).toBe(Math.ceil(scenario.elb.length / 3));
  });

  it("exports build info and a poll duration histogram", () => {
    expect(select(samples, "hwcert_build_info")[0]!.labels["nodejs_version"]).toBe(process.version);
    expect(valueOf(samples, "hwcert_poll_duration_seconds_count")).toBe(1);
  });

  it("never exports or logs the private key the API echoes", () => {
    const keyBody = sim.elb.echoedPrivateKeyPem.split("\n")[1]!;
    expect(keyBody.length).toBeGreaterThan(20);
    expect(text).not.toContain(keyBody);
    expect(exporter.logs.text).not.toContain(keyBody);
    expect(exporter.logs.text).not.toContain("PRIVATE KEY");
    expect(exporter.logs.text).not.toContain(sim.authToken);
  });

  it("answers gzip when asked, with the same series", async () => {
    const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        get(`${exporter.baseUrl}/metrics`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            resolve({ headers: res.headers, body: Buffer.concat(chunks) });
          });
        }).on("error", reject);
      },
    );
    expect(headers["content-encoding"]).toBe("gzip");
    expect(Number(headers["content-length"])).toBe(body.length);
    const unzipped = gunzipSync(body).toString("utf8");
    const polled = (metrics: string) =>
      metrics
        .split("\n")
        .filter((line) => line.startsWith("hwcert_certificate_"))
        .sort();
    expect(polled(unzipped)).toEqual(polled(text));
    expect(unzipped).toContain("hwcert_build_info");
  });

  it("passes promtool check metrics", (context) => {
    expect(expectPromtoolClean(text, () => context.skip())).toBe("");
  });
});

describe("ELB certificates, changes and failures", () => {
  let sim: Simulator;
  let exporter: TestDaemon | undefined;

  beforeAll(async () => {
    // One certificate per page, so paging faults have pages to act on.
    sim = await startSimulator({ elbPageSizeCap: 1 });
  });
  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    sim.faults.clear();
    sim.elb.clear();
    sim.clearRequests();
  });
  afterAll(async () => {
    await sim.close();
  });

  async function addChain(name: string, days: number): Promise<string> {
    const now = Date.now();
    const chain = await generateChain({
      commonName: `${name}.example.com`,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + days * 86_400_000),
    });
    return sim.elb.add({ name, certificate: chain.certificatePem });
  }

  it("drops every series of a deleted certificate at the next successful poll", async () => {
    const keep = await addChain("keep", 30);
    const gone = await addChain("gone", 40);
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    expect(select(await exporter.scrape(), NOT_AFTER, { resource_id: gone })).toHaveLength(2);

    sim.elb.remove(gone);
    await exporter.daemon.pollNow();
    const after = await exporter.scrape();
    expect(select(after, EXPIRE, { certificate_id: gone })).toHaveLength(0);
    expect(select(after, NOT_AFTER, { resource_id: gone })).toHaveLength(0);
    expect(select(after, INFO, { resource_id: gone })).toHaveLength(0);
    expect(select(after, NOT_AFTER, { resource_id: keep })).toHaveLength(2);
  });

  it("keeps the last good series during an outage, flips up to 0, and recovers", async () => {
    const id = await addChain("steady", 30);
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    const before = await exporter.scrape();

    sim.faults.add({ service: "elb", action: { kind: "status", status: 503 } });
    await exporter.daemon.pollNow();
    const during = await exporter.scrape();
    const up = { source: "elb", region: sim.region, project_id: sim.projectId };
    expect(valueOf(during, "hwcert_source_up", up)).toBe(0);
    expect(valueOf(during, EXPIRE, { certificate_id: id })).toBe(
      valueOf(before, EXPIRE, { certificate_id: id }),
    );
    expect(select(during, NOT_AFTER, { resource_id: id })).toHaveLength(2);
    expect(valueOf(during, "hwcert_errors_total", { source: "elb", reason: "http_5xx" })).toBe(1);
    // One attempt and two retries, each counted.
    expect(
      valueOf(during, "hwcert_api_requests_total", {
        service: "elb",
        operation: "list_certificates",
        code: "503",
      }),
    ).toBe(3);
    expect(valueOf(during, "hwcert_source_last_success_timestamp_seconds", up)).toBe(
      valueOf(before, "hwcert_source_last_success_timestamp_seconds", up),
    );
    const failure = exporter.logs.withMessage("ELB API request failed").at(-1)!;
    expect(failure).toMatchObject({
      reason: "http_5xx",
      status: 503,
      operation: "list_certificates",
    });
    expect(typeof failure["requestId"]).toBe("string");

    sim.faults.clear();
    await exporter.daemon.pollNow();
    expect(valueOf(await exporter.scrape(), "hwcert_source_up", up)).toBe(1);
  });

  it.each<[string, Parameters<Simulator["faults"]["add"]>[0]["action"], string]>([
    ["a rejected token", { kind: "status", status: 401 }, "auth_failed"],
    ["a missing permission", { kind: "status", status: 403 }, "forbidden"],
    ["throttling", { kind: "status", status: 429, retryAfter: "0" }, "rate_limited"],
    ["an HTML error page", { kind: "status", status: 502, body: "html" }, "http_5xx"],
    ["a reset connection", { kind: "reset" }, "network"],
    ["a body cut off by the connection", { kind: "truncate", mode: "destroy" }, "network"],
    ["a truncated JSON document", { kind: "truncate", mode: "end" }, "api_shape"],
    ["a body of the wrong shape", { kind: "json", body: { certificates: "nope" } }, "api_shape"],
    ["paging that loops", { kind: "pagination-loop" }, "api_shape"],
    ["paging that never ends", { kind: "pagination-endless" }, "api_shape"],
  ])("counts %s as $2 and keeps serving", async (_name, action, reason) => {
    await addChain("one", 30);
    await addChain("two", 30);
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    sim.faults.add({ service: "elb", action });
    await exporter.daemon.pollNow();
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason })).toBeGreaterThan(0);
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(0);
    expect(select(samples, EXPIRE)).toHaveLength(2);
  });

  it("times out a hanging API within the configured timeout", async () => {
    await addChain("slow", 30);
    exporter = await startTestDaemon(sim, { HWCERT_HTTP_TIMEOUT_SECONDS: "0.3" });
    await exporter.waitForPolls(1);
    sim.faults.add({ service: "elb", action: { kind: "hang" } });
    const started = Date.now();
    await exporter.daemon.pollNow();
    expect(Date.now() - started).toBeLessThan(5_000);
    const samples = await exporter.scrape();
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "timeout" })).toBe(1);
  });

  it("reads only the configured certificates through the details API", async () => {
    const wanted = await addChain("wanted", 30);
    await addChain("other", 30);
    exporter = await startTestDaemon(sim, {
      HWCERT_ELB_CERTIFICATE_IDS: `${wanted},0000000000000000000000000000dead`,
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(select(samples, EXPIRE).map((s) => s.labels["certificate_id"])).toEqual([wanted]);
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "not_found" })).toBe(1);
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
    expect(sim.requests.some((r) => r.path.endsWith("/elb/certificates"))).toBe(false);
  });

  it("reads PEM with CRLF, indentation, one-line blocks and duplicates", async () => {
    const now = Date.now();
    const chain = await generateChain({
      commonName: "odd.example.com",
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 10 * 86_400_000),
    });
    const crlf = chain.certificatePem.replaceAll("\n", "\r\n").replaceAll("\r\nM", "\r\n   M");
    const odd = `subject=CN = odd.example.com\r\n${crlf}\n\n${toOneLinePem(chain.leafPem)}\n`;
    const id = sim.elb.add({ name: "odd", certificate: odd });
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    const series = select(samples, NOT_AFTER, { resource_id: id });
    expect(series.map((s) => s.labels["chain_position"]).sort()).toEqual(["intermediate", "leaf"]);
    expect(valueOf(samples, "hwcert_errors_total", { source: "elb", reason: "bad_pem" })).toBe(0);
  });

  it("answers /readyz 503 until the first poll completes, /healthz 200 throughout", async () => {
    await addChain("ready", 30);
    sim.faults.add({ service: "elb", times: 1, action: { kind: "delay", ms: 800 } });
    exporter = await startTestDaemon(sim);
    expect((await fetch(`${exporter.baseUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${exporter.baseUrl}/healthz`)).status).toBe(200);
    await exporter.waitForPolls(1);
    expect((await fetch(`${exporter.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${exporter.baseUrl}/`)).headers.get("content-type")).toContain(
      "text/html",
    );
    expect((await fetch(`${exporter.baseUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${exporter.baseUrl}/metrics`, { method: "POST" })).status).toBe(405);
  });

  it("skips a poll triggered while one is running", async () => {
    await addChain("busy", 30);
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    sim.faults.add({ service: "elb", times: 1, action: { kind: "delay", ms: 500 } });
    const first = exporter.daemon.pollNow();
    const second = await exporter.daemon.pollNow();
    expect(second).toBe("skipped");
    expect(await first).toBe("completed");
  });
});
