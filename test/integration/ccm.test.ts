// Cloud Certificate Manager end to end: the real daemon polls the simulator's CCM service over
// HTTP. Paging to total_count, every status mapping, validity read from the details call in
// every time format (never from the list's zone-less expire_time), details fetched only for new
// or changed certificates, usage links from ELB and GeminiDB, outages that keep the last good
// data, and the account-scoped credentials CCM wants (X-Domain-Id, domain-scoped tokens).

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CCM_TIME_FORMATS,
  DEMO_CCM_CERTIFICATES,
  seedDemoScenario,
  type DemoCcmCertificate,
  startSimulator,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const EXPIRE = "hwcert_ccm_certificate_expire_timestamp_seconds";
const NOT_BEFORE = "hwcert_ccm_certificate_not_before_timestamp_seconds";
const STATUS = "hwcert_ccm_certificate_status";
const INFO = "hwcert_ccm_certificate_info";
const USAGE = "hwcert_ccm_certificate_usage_info";
const IN_USE = "hwcert_resource_in_use";
const UP = "hwcert_source_up";
const ERRORS = "hwcert_errors_total";
const DAY = 86_400_000;
const WITH_CCM = { HWCERT_SOURCES: "elb,geminidb,ccm" };
/** Usage links of the demo scenario: one per resource using a CCM certificate. */
const DEMO_USAGE_LINKS = DEMO_CCM_CERTIFICATES.reduce(
  (sum, certificate) => sum + certificate.expectedUsedBy.length,
  0,
);

const ACCESS_KEY = "HPUACCMEXAMPLEACCESS";
const SECRET_KEY = "sk-ccm-example-7c1e9a0d3b5f";

const STATUS_CASES = [
  ["ISSUED", "issued"],
  ["EXPIRED", "expired"],
  ["REVOKED", "revoked"],
  ["REVOKING", "revoked"],
  ["PAID", "pending"],
  ["CHECKING", "pending"],
  ["CHECKING_ORG", "pending"],
  ["ISSUING", "pending"],
  ["APPLYING", "pending"],
  ["UPLOAD", "pending"],
  ["CANCELCHECKING", "pending"],
  ["SUPPLEMENTCHECKING", "pending"],
  ["UNPASSED", "other"],
  ["SOMETHING_NEW", "other"],
] as const;

/** Extra certificates beyond the first page of 50. */
const BULK = 80;

const ccmRequests = (sim: Simulator) => sim.requests.filter((entry) => entry.service === "ccm");
const detailCalls = (sim: Simulator) =>
  ccmRequests(sim).filter((entry) => /^\/v3\/scm\/certificates\/[^/]+$/.test(entry.path));
const listCalls = (sim: Simulator) =>
  ccmRequests(sim).filter((entry) => entry.path === "/v3/scm/certificates");

describe("CCM certificates over real HTTP", () => {
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  let exporter: TestDaemon;
  let samples: Sample[];
  const now = Date.now();
  /** notAfter per time format, with a millisecond part that must be dropped, not rounded. */
  const formatIds = new Map<string, { id: string; notBefore: number; notAfter: number }>();
  const statusIds = new Map<string, string>();

  beforeAll(async () => {
    sim = await startSimulator();
    scenario = await seedDemoScenario(sim, now);
    for (const [index, format] of CCM_TIME_FORMATS.entries()) {
      const notBefore = Math.floor(now / 1000) * 1000 - 40 * DAY + 123;
      const notAfter = Math.floor(now / 1000) * 1000 + (20 + index) * DAY + 987;
      const millis = format === "epoch-ms" || format === "epoch-ms-string";
      const id = sim.ccm.add({
        name: `format-${format}`,
        domain: `${format}.example.com`,
        notBefore: millis ? notBefore : notBefore - 123,
        notAfter: millis ? notAfter : notAfter - 987,
        timeFormat: format,
      });
      formatIds.set(format, { id, notBefore, notAfter });
    }
    for (const [raw] of STATUS_CASES) {
      statusIds.set(
        raw,
        sim.ccm.add({
          name: `status-${raw.toLowerCase()}`,
          domain: "status.example.com",
          status: raw,
          notBefore: now - 10 * DAY,
          notAfter: now + 100 * DAY,
        }),
      );
    }
    for (let i = 0; i < BULK; i++) {
      sim.ccm.add({
        name: `bulk-${i}`,
        domain: `bulk-${i}.example.com`,
        sans: `a.bulk-${i}.example.com,b.bulk-${i}.example.com`,
        notBefore: now - DAY,
        notAfter: now + (50 + i) * DAY,
      });
    }
    // No rate limit: the endless-paging case walks every page up to the client's bound.
    exporter = await startTestDaemon(sim, { ...WITH_CCM, HWCERT_API_RATE_LIMIT: "0" });
    await exporter.waitForPolls(1);
    samples = await exporter.scrape();
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  it("lists every certificate of every status, page by page to total_count", () => {
    const total = sim.ccm.list().length;
    expect(total).toBeGreaterThan(100);
    expect(select(samples, INFO)).toHaveLength(total);
    const lists = listCalls(sim);
    expect(lists.map((entry) => entry.query)).toEqual(
      [0, 50, 100].map((offset) => ({ limit: "50", offset: String(offset), status: "ALL" })),
    );
    expect(valueOf(samples, UP, { source: "ccm" })).toBe(1);
    expect(valueOf(samples, UP, { source: "elb" })).toBe(1);
    expect(valueOf(samples, UP, { source: "geminidb" })).toBe(1);
    // The export API (it answers with the private key) is never called.
    expect(ccmRequests(sim).some((entry) => entry.path.includes("export"))).toBe(false);
  });

  it.each(STATUS_CASES)("maps status %s to %s, keeping the raw value", (raw, expected) => {
    const id = statusIds.get(raw) ?? "";
    const states = select(samples, STATUS, { certificate_id: id });
    expect(states.map((s) => [s.labels["status"], s.value]).sort()).toEqual(
      ["expired", "issued", "other", "pending", "revoked"]
        .map((status) => [status, status === expected ? 1 : 0])
        .sort(),
    );
    expect(select(samples, INFO, { certificate_id: id })[0]?.labels["api_status"]).toBe(raw);
  });

  it.each(CCM_TIME_FORMATS)(
    "reads not_before / not_after written as %s to the second",
    (format) => {
      const expected = formatIds.get(format);
      if (!expected) throw new Error(format);
      const labels = { certificate_id: expected.id };
      expect(valueOf(samples, EXPIRE, labels)).toBe(Math.floor(expected.notAfter / 1000));
      expect(valueOf(samples, NOT_BEFORE, labels)).toBe(Math.floor(expected.notBefore / 1000));
    },
  );

  it("reports the demo scenario's certificates with their labels; none issued yet has no expiry", () => {
    for (const spec of DEMO_CCM_CERTIFICATES) {
      const seeded = scenario.ccm.find((c) => c.spec.key === spec.key);
      const labels = { certificate_id: spec.id };
      expect(select(samples, INFO, labels)[0]?.labels).toMatchObject({
        region: sim.region,
        project_id: sim.projectId,
        certificate_name: spec.name,
        domain: spec.domain,
        type: "DV_SSL_CERT",
        brand: "DIGICERT",
        signature_algorithm: "SHA256WITHRSA",
        api_status: spec.status,
      });
      expect(valueOf(samples, STATUS, { ...labels, status: spec.expectedStatus })).toBe(1);
      if (seeded?.notAfter === undefined) {
        expect(select(samples, EXPIRE, labels)).toEqual([]);
        expect(select(samples, NOT_BEFORE, labels)).toEqual([]);
      } else {
        // Not the list's expire_time, which is eight hours ahead and carries no zone.
        expect(valueOf(samples, EXPIRE, labels)).toBe(seeded.notAfter.getTime() / 1000);
        expect(select(samples, EXPIRE, labels)[0]?.labels["certificate_name"]).toBe(spec.name);
      }
    }
  });

  it("links every CCM certificate to the ELB certificates and GeminiDB instances that use it", () => {
    const resource = (use: DemoCcmCertificate["expectedUsedBy"][number]) => {
      const found =
        use.source === "elb"
          ? scenario.elb.find((c) => c.spec.key === use.key)
          : scenario.geminidb.find((i) => i.spec.key === use.key);
      if (found === undefined) throw new Error(`no ${use.source} ${use.key} in the scenario`);
      return { source: use.source, resource_id: found.id, resource_name: found.spec.name };
    };
    for (const spec of DEMO_CCM_CERTIFICATES) {
      const order = (list: Record<string, string | undefined>[]): string[] =>
        list.map((entry) => JSON.stringify(entry, Object.keys(entry).sort())).sort();
      expect(
        order(select(samples, USAGE, { certificate_id: spec.id }).map((s) => s.labels)),
        spec.key,
      ).toEqual(
        order(
          spec.expectedUsedBy.map((use) => ({
            region: sim.region,
            project_id: sim.projectId,
            certificate_id: spec.id,
            ...resource(use),
          })),
        ),
      );
    }
    // Both sources link, and nothing else: the test's own certificates are used by nothing.
    const sources = new Set(
      DEMO_CCM_CERTIFICATES.flatMap((c) => c.expectedUsedBy.map((u) => u.source)),
    );
    expect([...sources].sort()).toEqual(["elb", "geminidb"]);
    expect(select(samples, USAGE)).toHaveLength(DEMO_USAGE_LINKS);
  });

  it("passes promtool check metrics", async (context) => {
    expect(expectPromtoolClean(await exporter.scrapeText(), () => context.skip())).toBe("");
  });

  describe("details cache", () => {
    it("makes only the list calls while nothing changed", async () => {
      expect(detailCalls(sim).length).toBe(sim.ccm.list().length);
      sim.clearRequests();
      await exporter.daemon.pollNow();
      expect(listCalls(sim)).toHaveLength(3);
      expect(detailCalls(sim)).toEqual([]);
      const again = await exporter.scrape();
      expect(select(again, EXPIRE)).toEqual(select(samples, EXPIRE));
    });

    it("reads a renewed certificate again, and only it", async () => {
      const www = DEMO_CCM_CERTIFICATES.find((c) => c.key === "www");
      if (!www) throw new Error("no www certificate");
      const renewedUntil = Math.floor(now / 1000) * 1000 + 455 * DAY;
      sim.ccm.update(www.id, { notBefore: now, notAfter: renewedUntil });
      sim.clearRequests();
      await exporter.daemon.pollNow();
      expect(detailCalls(sim).map((entry) => entry.path)).toEqual([
        `/v3/scm/certificates/${www.id}`,
      ]);
      const after = await exporter.scrape();
      expect(valueOf(after, EXPIRE, { certificate_id: www.id })).toBe(renewedUntil / 1000);
    });

    it("reads a certificate whose status changed", async () => {
      const id = statusIds.get("CHECKING") ?? "";
      sim.ccm.update(id, { status: "ISSUED" });
      sim.clearRequests();
      await exporter.daemon.pollNow();
      expect(detailCalls(sim).map((entry) => entry.path)).toEqual([`/v3/scm/certificates/${id}`]);
      const after = await exporter.scrape();
      expect(valueOf(after, STATUS, { certificate_id: id, status: "issued" })).toBe(1);
    });

    it("keeps a certificate's validity when its details fail, and retries next poll", async () => {
      const id = statusIds.get("PAID") ?? "";
      sim.ccm.update(id, { notAfter: now + 200 * DAY });
      const before = valueOf(await exporter.scrape(), ERRORS, {
        source: "ccm",
        reason: "http_5xx",
      });
      sim.faults.add({
        service: "ccm",
        match: { operation: "ccm.showCertificate" },
        action: { kind: "status", status: 500 },
      });
      await exporter.daemon.pollNow();
      sim.faults.clear();
      let after = await exporter.scrape();
      expect(valueOf(after, UP, { source: "ccm" })).toBe(1);
      expect(valueOf(after, EXPIRE, { certificate_id: id })).toBe(
        Math.floor((now + 100 * DAY) / 1000),
      );
      expect(valueOf(after, ERRORS, { source: "ccm", reason: "http_5xx" })).toBeGreaterThan(before);
      await exporter.daemon.pollNow();
      after = await exporter.scrape();
      expect(valueOf(after, EXPIRE, { certificate_id: id })).toBe(
        Math.floor((now + 200 * DAY) / 1000),
      );
    });
  });

  describe("outages", () => {
    afterEach(() => {
      sim.faults.clear();
    });

    it.each([
      ["503 on every CCM call", { kind: "status", status: 503 } as const, "http_5xx"],
      ["403 on every CCM call", { kind: "status", status: 403 } as const, "forbidden"],
      ["a reset connection", { kind: "reset" } as const, "network"],
      [
        "a list that is not the documented shape",
        { kind: "json", body: { items: [] } } as const,
        "api_shape",
      ],
      ["paging that loops", { kind: "pagination-loop" } as const, "api_shape"],
      ["paging that never ends", { kind: "pagination-endless", fresh: true } as const, "api_shape"],
    ])("%s keeps the last good data and counts %s", async (_label, action, reason) => {
      const before = await exporter.scrape();
      const errorsBefore = valueOf(before, ERRORS, { source: "ccm", reason });
      sim.faults.add({ service: "ccm", match: { operation: "ccm.listCertificates" }, action });
      await exporter.daemon.pollNow();
      const during = await exporter.scrape();
      expect(valueOf(during, UP, { source: "ccm" })).toBe(0);
      expect(valueOf(during, ERRORS, { source: "ccm", reason })).toBeGreaterThan(errorsBefore);
      expect(select(during, EXPIRE)).toEqual(select(before, EXPIRE));
      expect(select(during, STATUS)).toEqual(select(before, STATUS));
      expect(valueOf(during, UP, { source: "elb" })).toBe(1);
      expect(valueOf(during, UP, { source: "geminidb" })).toBe(1);
      expect(select(during, USAGE)).toEqual(select(before, USAGE));
      expect(select(during, USAGE)).toHaveLength(DEMO_USAGE_LINKS);
      sim.faults.clear();
      await exporter.daemon.pollNow();
      expect(valueOf(await exporter.scrape(), UP, { source: "ccm" })).toBe(1);
    });

    it("drops a deleted certificate at the next successful poll", async () => {
      const id = statusIds.get("UNPASSED") ?? "";
      sim.ccm.remove(id);
      await exporter.daemon.pollNow();
      const after = await exporter.scrape();
      expect(select(after, INFO, { certificate_id: id })).toEqual([]);
      expect(select(after, STATUS, { certificate_id: id })).toEqual([]);
    });
  });

  it("emits usage links from ELB and GeminiDB data when the ccm source is not polled", async () => {
    const plain = await startTestDaemon(sim);
    try {
      await plain.waitForPolls(1);
      const plainSamples = await plain.scrape();
      expect(select(plainSamples, USAGE)).toHaveLength(DEMO_USAGE_LINKS);
      expect(select(plainSamples, UP, { source: "ccm" })).toEqual([]);
      expect(select(plainSamples, EXPIRE)).toEqual([]);
    } finally {
      await plain.stop();
    }
  });

  // Last: a second daemon's requests would upset the request counts above.
  it("judges an expired CCM certificate nothing uses as in use, and only a notice once marked stored", async () => {
    // Nothing in Huawei Cloud uses it, but it may be installed elsewhere: in use unless marked.
    const id =
      scenario.ccm.find(
        (entry) =>
          entry.spec.expectedStatus === "expired" && entry.spec.expectedUsedBy.length === 0,
      )?.id ?? "";
    expect(id).not.toBe("");
    const rowOf = async (daemon: TestDaemon): Promise<Record<string, unknown> | undefined> => {
      const page = (await (await fetch(`${daemon.baseUrl}/?format=json`)).json()) as {
        certificates: Record<string, unknown>[];
      };
      return page.certificates.find((row) => row["resourceId"] === id);
    };
    const where = { source: "ccm", project_id: sim.projectId, resource_id: id };
    expect(valueOf(samples, IN_USE, where)).toBe(1);
    expect(await rowOf(exporter)).toMatchObject({
      severity: "expired",
      usage: "in_use",
      usedBy: [],
      ccmStatus: "EXPIRED",
    });

    const marked = await startTestDaemon(sim, {
      ...WITH_CCM,
      HWCERT_API_RATE_LIMIT: "0",
      HWCERT_STORED_CERTIFICATES: id,
    });
    try {
      await marked.waitForPolls(1);
      expect(valueOf(await marked.scrape(), IN_USE, where)).toBe(0);
      expect(await rowOf(marked)).toMatchObject({ severity: "notice", usage: "stored" });
    } finally {
      await marked.stop();
    }
  });

  it("counts a CCM certificate as in use where an ELB certificate or GeminiDB instance uses it", () => {
    const elb = scenario.elb.find((c) => c.spec.scmCertificateId !== undefined);
    const gemini = scenario.geminidb.find((i) => i.spec.ccmCertInfo !== undefined);
    for (const id of [elb?.spec.scmCertificateId, gemini?.spec.ccmCertInfo?.certId]) {
      if (!scenario.ccm.some((entry) => entry.id === id)) continue;
      expect(valueOf(samples, IN_USE, { source: "ccm", resource_id: id ?? "" })).toBe(1);
    }
    // A GeminiDB instance serves its CA: always in use.
    for (const instance of scenario.geminidb) {
      expect(valueOf(samples, IN_USE, { source: "geminidb", resource_id: instance.id })).toBe(1);
    }
  });
});

describe("CCM credentials", () => {
  let sim: Simulator;
  let exporter: TestDaemon | undefined;
  let certificateId: string;

  beforeAll(async () => {
    sim = await startSimulator({ accessKeys: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }] });
    certificateId = sim.ccm.add({
      name: "auth-example-com",
      domain: "auth.example.com",
      notBefore: Date.now() - DAY,
      notAfter: Date.now() + 30 * DAY,
    });
  });

  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    sim.clearRequests();
  });

  afterAll(async () => {
    await sim.close();
  });

  const AKSK = {
    HWCERT_AUTH_TOKEN: undefined,
    HUAWEICLOUD_SDK_AK: ACCESS_KEY,
    HUAWEICLOUD_SDK_SK: SECRET_KEY,
  };

  const expectCcmUp = async (daemon: TestDaemon): Promise<Sample[]> => {
    const samples = await daemon.scrape();
    expect(valueOf(samples, UP, { source: "ccm" })).toBe(1);
    expect(select(samples, EXPIRE, { certificate_id: certificateId })).toHaveLength(1);
    return samples;
  };

  it("AK/SK with HWCERT_DOMAIN_ID sends it as X-Domain-Id and never asks IAM", async () => {
    exporter = await startTestDaemon(sim, { ...WITH_CCM, ...AKSK, HWCERT_DOMAIN_ID: sim.domainId });
    await exporter.waitForPolls(1);
    await expectCcmUp(exporter);
    const ccm = ccmRequests(sim);
    expect(ccm.length).toBeGreaterThan(0);
    for (const entry of ccm) {
      expect(entry.headerNames).toContain("x-domain-id");
      expect(entry.headerNames).not.toContain("x-project-id");
      expect(entry.authenticated).toBe(true);
    }
    expect(sim.requests.filter((entry) => entry.path === "/v3/auth/domains")).toEqual([]);
  });

  it("AK/SK without a domain id looks it up once through IAM", async () => {
    exporter = await startTestDaemon(sim, { ...WITH_CCM, ...AKSK });
    await exporter.waitForPolls(1);
    await exporter.daemon.pollNow();
    await expectCcmUp(exporter);
    const lookups = sim.requests.filter((entry) => entry.path === "/v3/auth/domains");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.authenticated).toBe(true);
    expect(exporter.logs.text).not.toContain(SECRET_KEY);
  });

  it("AK/SK with another account's domain id fails only the ccm source", async () => {
    exporter = await startTestDaemon(sim, {
      ...WITH_CCM,
      ...AKSK,
      HWCERT_DOMAIN_ID: "0123456789abcdef0123456789abcdef",
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(valueOf(samples, UP, { source: "ccm" })).toBe(0);
    expect(valueOf(samples, ERRORS, { source: "ccm", reason: "auth_failed" })).toBeGreaterThan(0);
    expect(valueOf(samples, UP, { source: "elb" })).toBe(1);
  });

  it("a password login gets a domain-scoped token for CCM, a project-scoped one for the rest", async () => {
    exporter = await startTestDaemon(sim, {
      ...WITH_CCM,
      HWCERT_AUTH_TOKEN: undefined,
      HWCERT_IAM_DOMAIN: sim.iam.credentials.domain,
      HWCERT_IAM_USERNAME: sim.iam.credentials.username,
      HWCERT_IAM_PASSWORD: sim.iam.credentials.password,
    });
    await exporter.waitForPolls(1);
    await exporter.daemon.pollNow();
    const samples = await expectCcmUp(exporter);
    expect(valueOf(samples, UP, { source: "elb" })).toBe(1);
    // One token per scope, cached across polls (the simulator refuses project tokens on CCM).
    expect(sim.requests.filter((entry) => entry.path === "/v3/auth/tokens")).toHaveLength(2);
    const text = `${exporter.logs.text}\n${await exporter.scrapeText()}`;
    expect(text).not.toContain(sim.iam.credentials.password);
    for (const token of sim.iam.issuedTokens) expect(text).not.toContain(token);
  });

  it("a static token is used as it is", async () => {
    exporter = await startTestDaemon(sim, WITH_CCM);
    await exporter.waitForPolls(1);
    await expectCcmUp(exporter);
    expect(sim.requests.filter((entry) => entry.service === "iam")).toEqual([]);
    const text = `${exporter.logs.text}\n${await exporter.scrapeText()}`;
    expect(text).not.toContain(sim.authToken);
  });
});
