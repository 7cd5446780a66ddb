// Which ELB certificates are in use: the real daemon lists the simulator's listeners over real
// HTTP (capped pages), and exports per certificate and role how many listeners use it, plus one
// info series per use. A failing listener API keeps the last good bindings and never stops the
// certificates from updating.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  generateChain,
  startSimulator,
  type ElbListenerInput,
  type Simulator,
} from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { expectPromtoolClean } from "../helpers/promtool.js";

const BINDINGS = "hwcert_elb_certificate_listener_bindings";
const LISTENER_INFO = "hwcert_elb_certificate_listener_info";
const EXPIRE = "hwcert_elb_certificate_expire_timestamp_seconds";
const ROLES = ["default", "sni", "client_ca"] as const;
type Role = (typeof ROLES)[number];
type CertificateKey = "web" | "api" | "ca" | "unused";

/** Listeners by key; certificate references name certificate keys, or null / "" for none. */
const LISTENERS: Record<
  string,
  Omit<
    ElbListenerInput,
    "defaultTlsContainerRef" | "sniContainerRefs" | "clientCaTlsContainerRef"
  > & {
    readonly default: CertificateKey | null | "";
    readonly sni: readonly CertificateKey[];
    readonly clientCa: CertificateKey | null | "";
  }
> = {
  mtls: {
    name: "mtls-443",
    protocol: "HTTPS",
    protocolPort: 443,
    default: "web",
    sni: [],
    clientCa: "ca",
  },
  shared: {
    name: "shared-8443",
    protocol: "TERMINATED_HTTPS",
    protocolPort: 8443,
    default: null,
    sni: ["web", "api"],
    clientCa: null,
  },
  tls: {
    name: "tls-9443",
    protocol: "TLS",
    protocolPort: 9443,
    default: "",
    sni: ["api"],
    clientCa: "",
  },
  plain: {
    name: "plain-80",
    protocol: "HTTP",
    protocolPort: 80,
    default: null,
    sni: [],
    clientCa: null,
  },
  tcp: { name: "tcp-22", protocol: "TCP", protocolPort: 22, default: "", sni: [], clientCa: "" },
};

/** Expected listener count per certificate and role, derived from LISTENERS. */
function expectedCounts(
  listeners: readonly (typeof LISTENERS)[string][],
): Record<CertificateKey, Record<Role, number>> {
  const counts = {} as Record<CertificateKey, Record<Role, number>>;
  for (const key of ["web", "api", "ca", "unused"] as const) {
    counts[key] = { default: 0, sni: 0, client_ca: 0 };
  }
  for (const listener of listeners) {
    if (listener.default) counts[listener.default].default++;
    for (const key of listener.sni) counts[key].sni++;
    if (listener.clientCa) counts[listener.clientCa].client_ca++;
  }
  return counts;
}

describe("ELB listener bindings", () => {
  let sim: Simulator;
  let exporter: TestDaemon;
  const certificates = {} as Record<CertificateKey, string>;
  const listeners: Record<string, string> = {};
  const loadBalancer = "lb-0001";

  const resolve = (ref: CertificateKey | null | ""): string | null =>
    ref === null || ref === "" ? ref : certificates[ref];

  beforeAll(async () => {
    // Two records per page: five listeners take three pages.
    sim = await startSimulator({ elbPageSizeCap: 2 });
    const now = Date.now();
    for (const [key, days] of [
      ["web", 20],
      ["api", 40],
      ["ca", 400],
      ["unused", 10],
    ] as const) {
      const chain = await generateChain({
        commonName: `${key}.example.com`,
        notBefore: new Date(now - 86_400_000),
        notAfter: new Date(now + days * 86_400_000),
        depth: key === "ca" ? 1 : 2,
      });
      certificates[key] = sim.elb.add({
        name: key,
        type: key === "ca" ? "client" : "server",
        certificate: chain.certificatePem,
      });
    }
    for (const [key, spec] of Object.entries(LISTENERS)) {
      const { default: defaultRef, sni, clientCa, ...rest } = spec;
      listeners[key] = sim.elb.addListener({
        ...rest,
        defaultTlsContainerRef: resolve(defaultRef),
        sniContainerRefs: sni.map((ref) => certificates[ref]),
        clientCaTlsContainerRef: resolve(clientCa),
        loadbalancerIds: [loadBalancer],
      });
    }
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
  });

  afterEach(() => {
    sim.faults.clear();
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  const labels = (key: CertificateKey, role: Role): Record<string, string> => ({
    region: sim.region,
    project_id: sim.projectId,
    certificate_id: certificates[key],
    role,
  });

  function expectCounts(samples: Sample[], counts: ReturnType<typeof expectedCounts>): void {
    for (const [key, roles] of Object.entries(counts) as [CertificateKey, Record<Role, number>][]) {
      for (const role of ROLES) {
        expect(valueOf(samples, BINDINGS, labels(key, role)), `${key} ${role}`).toBe(roles[role]);
      }
    }
  }

  it("serves both unset-reference forms, null and empty", () => {
    const stored = new Map(sim.elb.listListeners().map((listener) => [listener.id, listener]));
    expect(stored.get(listeners["shared"]!)?.default_tls_container_ref).toBeNull();
    expect(stored.get(listeners["tls"]!)?.default_tls_container_ref).toBe("");
    expect(stored.get(listeners["tls"]!)?.client_ca_tls_container_ref).toBe("");
  });

  it("follows next_marker across capped listener pages", () => {
    const calls = sim.requests.filter((request) => request.path.endsWith("/elb/listeners"));
    expect(calls).toHaveLength(Math.ceil(Object.keys(LISTENERS).length / 2));
  });

  it("counts listeners per certificate and role, with 0 for unused roles", async () => {
    const samples = await exporter.scrape();
    expectCounts(samples, expectedCounts(Object.values(LISTENERS)));
    // Exactly three roles per certificate, and nothing for the empty references.
    expect(select(samples, BINDINGS)).toHaveLength(4 * ROLES.length);
    expect(select(samples, BINDINGS, { certificate_id: "" })).toHaveLength(0);
  });

  it("describes each use with the listener's id, name, port, protocol and load balancer", async () => {
    const samples = await exporter.scrape();
    const uses = select(samples, LISTENER_INFO).map((sample) => {
      expect(sample.value).toBe(1);
      return sample.labels;
    });
    const expected = Object.entries(LISTENERS).flatMap(([key, spec]) => {
      const use = (certificate: CertificateKey, role: Role): Record<string, string> => ({
        region: sim.region,
        project_id: sim.projectId,
        certificate_id: certificates[certificate],
        role,
        listener_id: listeners[key]!,
        listener_name: spec.name,
        loadbalancer_id: loadBalancer,
        protocol: spec.protocol ?? "",
        port: String(spec.protocolPort),
      });
      return [
        ...(spec.default ? [use(spec.default, "default")] : []),
        ...spec.sni.map((certificate) => use(certificate, "sni")),
        ...(spec.clientCa ? [use(spec.clientCa, "client_ca")] : []),
      ];
    });
    const order = (list: Record<string, string>[]): string[] =>
      list.map((entry) => JSON.stringify(entry, Object.keys(entry).sort())).sort();
    expect(order(uses)).toEqual(order(expected));
    expect(select(samples, LISTENER_INFO, { certificate_id: certificates.unused })).toHaveLength(0);
  });

  it("passes promtool check metrics", async ({ skip }) => {
    expect(expectPromtoolClean(await exporter.scrapeText(), skip)).toBe("");
  });

  it("shows each certificate's listeners on the status page and in its JSON", async () => {
    const response = await fetch(`${exporter.baseUrl}/?format=json`);
    const body = (await response.json()) as {
      certificates: {
        resourceId: string;
        chainPosition: string | null;
        listeners: { role: string; listenerName: string; port: number | null }[] | null;
      }[];
    };
    const leafUses = (key: CertificateKey) =>
      body.certificates
        .find((row) => row.resourceId === certificates[key] && row.chainPosition !== "intermediate")
        ?.listeners?.map((use) => `${use.role} ${use.listenerName} ${String(use.port)}`)
        .sort();
    expect(leafUses("web")).toEqual(["default mtls-443 443", "sni shared-8443 8443"]);
    expect(leafUses("ca")).toEqual(["client_ca mtls-443 443"]);
    expect(leafUses("unused")).toEqual([]);

    const html = await (await fetch(`${exporter.baseUrl}/`)).text();
    const rowOf = (key: CertificateKey): string =>
      html.split("\n").find((line) => line.includes(`title="${certificates[key]}"`)) ?? "";
    expect(rowOf("api")).toContain("<summary>2 listeners</summary>");
    expect(rowOf("api")).toContain("SNI · <bdi>tls-9443</bdi>");
    expect(rowOf("unused")).toContain(">stored only</span>");
  });

  it("keeps the last good bindings while the listener API fails, and still updates certificates", async () => {
    const before = await exporter.scrape();
    const errorLabels = { source: "elb", reason: "http_5xx" };
    const errorsBefore = valueOf(before, "hwcert_errors_total", errorLabels);
    sim.faults.add({
      service: "elb",
      match: { operation: "elb.listListeners" },
      action: { kind: "status", status: 503 },
    });
    // Changes the outage must hide (bindings) and must not hide (a new certificate).
    sim.elb.removeListener(listeners["tls"]!);
    const now = Date.now();
    const late = sim.elb.add({
      name: "late",
      certificate: (
        await generateChain({
          commonName: "late.example.com",
          notBefore: new Date(now - 86_400_000),
          notAfter: new Date(now + 5 * 86_400_000),
        })
      ).certificatePem,
    });

    await exporter.daemon.pollNow();
    const during = await exporter.scrape();
    const up = { source: "elb", region: sim.region, project_id: sim.projectId };
    expect(valueOf(during, "hwcert_source_up", up)).toBe(1);
    expect(select(during, EXPIRE, { certificate_id: late })).toHaveLength(1);
    expectCounts(during, expectedCounts(Object.values(LISTENERS)));
    expect(select(during, LISTENER_INFO, { listener_id: listeners["tls"]! })).toHaveLength(1);
    expect(valueOf(during, "hwcert_errors_total", errorLabels)).toBe(errorsBefore + 1);
    expect(
      exporter.logs.withMessage("ELB listener bindings kept from the last good poll"),
    ).not.toHaveLength(0);

    sim.faults.clear();
    await exporter.daemon.pollNow();
    const after = await exporter.scrape();
    const remaining = Object.entries(LISTENERS)
      .filter(([key]) => key !== "tls")
      .map(([, spec]) => spec);
    expectCounts(after, expectedCounts(remaining));
    expect(select(after, LISTENER_INFO, { listener_id: listeners["tls"]! })).toHaveLength(0);
    for (const role of ROLES) {
      expect(valueOf(after, BINDINGS, { certificate_id: late, role })).toBe(0);
    }
  });
});

describe("ELB listener bindings before any listener listing succeeded", () => {
  let sim: Simulator;
  let exporter: TestDaemon;

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    const chain = await generateChain({
      commonName: "unknown.example.com",
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 30 * 86_400_000),
    });
    sim.elb.add({ name: "unknown", certificate: chain.certificatePem });
    sim.faults.add({
      service: "elb",
      match: { operation: "elb.listListeners" },
      action: { kind: "status", status: 503 },
    });
    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
  });

  afterAll(async () => {
    await exporter.stop();
    await sim.close();
  });

  it("exports the certificate but no bindings: unknown is not unused", async () => {
    const samples = await exporter.scrape();
    expect(select(samples, EXPIRE)).toHaveLength(1);
    expect(select(samples, BINDINGS)).toHaveLength(0);
    expect(select(samples, LISTENER_INFO)).toHaveLength(0);
    expect(valueOf(samples, "hwcert_source_up", { source: "elb" })).toBe(1);
  });

  it("says unknown on the status page rather than stored only", async () => {
    const body = (await (await fetch(`${exporter.baseUrl}/?format=json`)).json()) as {
      certificates: { listeners: unknown }[];
    };
    expect(body.certificates.map((row) => row.listeners)).toEqual([null, null]);
    const html = await (await fetch(`${exporter.baseUrl}/`)).text();
    expect(html).toContain(">unknown</span>");
    expect(html).not.toContain("stored only");
  });
});
