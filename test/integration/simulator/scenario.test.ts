import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CCM_CERTIFICATES,
  DEMO_ELB_CERTIFICATES,
  DEMO_ELB_LISTENERS,
  DEMO_GEMINIDB_INSTANCES,
  seedDemoScenario,
  startSimulator,
  type SeededDemoScenario,
  type Simulator,
} from "../../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "./http.js";

const DAY = 86_400_000;

describe("demo scenario", () => {
  let sim: Simulator;
  let seeded: SeededDemoScenario;
  const now = Date.parse("2026-06-01T12:00:00.500Z");

  beforeAll(async () => {
    sim = await startSimulator();
    seeded = await seedDemoScenario(sim, now);
  });
  afterAll(async () => {
    await sim.close();
  });

  it("loads every ELB entry, served over HTTP as seeded", async () => {
    const { body } = await getJson(
      `${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates`,
      sim.authToken,
    );
    const served = asArray(asRecord(body).certificates).map(asRecord);
    expect(served).toHaveLength(DEMO_ELB_CERTIFICATES.length);
    for (const entry of seeded.elb) {
      const wire = served.find((c) => c.id === entry.id);
      expect(wire).toMatchObject({
        name: entry.spec.name,
        type: entry.spec.type,
        certificate: entry.certificatePem,
        expire_time: entry.expireTime,
      });
    }
  });

  it.each(DEMO_ELB_CERTIFICATES.map((spec) => [spec.key, spec] as const))(
    "%s matches its spec",
    (key, spec) => {
      const entry = seeded.elb.find((e) => e.spec.key === key);
      expect(entry).toBeDefined();
      const anchor = Math.floor(now / 1000) * 1000;
      expect(entry?.leafNotAfter.getTime()).toBe(anchor + spec.notAfterDays * DAY);
      expect(entry?.earliestNotAfter?.getTime()).toBe(
        spec.expectedEarliestNotAfterDays === undefined
          ? undefined
          : anchor + spec.expectedEarliestNotAfterDays * DAY,
      );
      const pem = entry?.certificatePem ?? "";
      if (spec.pemForm === "one-line") expect(pem).not.toContain("\n");
      if (spec.pemForm === "broken") expect(pem).toContain("THIS-LINE-IS-NOT-BASE64!!");
      expect(entry?.expireTime).toMatch(
        spec.expireTimeForm === "space"
          ? /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
          : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    },
  );

  it("binds the certificates to listeners as their specs say, served over HTTP", async () => {
    const { body } = await getJson(
      `${sim.endpoints.elb}/v3/${sim.projectId}/elb/listeners`,
      sim.authToken,
    );
    const served = asArray(asRecord(body).listeners).map(asRecord);
    expect(served.map((l) => l.name).sort()).toEqual(DEMO_ELB_LISTENERS.map((l) => l.name).sort());
    const idOf = new Map(seeded.elb.map((entry) => [entry.id, entry.spec.key]));
    const keyOf = (ref: unknown): string | undefined =>
      typeof ref === "string" ? idOf.get(ref) : undefined;

    // Every use, read back from the wire: "certificate key → listener key role".
    const uses = served.flatMap((wire) => {
      const spec = DEMO_ELB_LISTENERS.find((l) => l.name === wire.name);
      expect(wire).toMatchObject({ protocol: spec?.protocol, protocol_port: spec?.protocolPort });
      const listener = spec?.key ?? "?";
      return [
        ...(wire.default_tls_container_ref === null
          ? []
          : [`${keyOf(wire.default_tls_container_ref)} → ${listener} default`]),
        ...asArray(wire.sni_container_refs).map((ref) => `${keyOf(ref)} → ${listener} sni`),
        ...(wire.client_ca_tls_container_ref === null
          ? []
          : [`${keyOf(wire.client_ca_tls_container_ref)} → ${listener} client_ca`]),
      ];
    });
    expect(uses.sort()).toEqual(
      DEMO_ELB_CERTIFICATES.flatMap((spec) =>
        spec.listeners.map((use) => `${spec.key} → ${use.listener} ${use.role}`),
      ).sort(),
    );

    // Listeners of one load balancer key share its id; different keys do not.
    const loadBalancerOf = new Map(
      seeded.listeners.map((l) => [l.spec.loadBalancer, l.loadBalancerId] as const),
    );
    for (const wire of served) {
      const spec = DEMO_ELB_LISTENERS.find((l) => l.name === wire.name);
      expect(wire.loadbalancers).toEqual([{ id: loadBalancerOf.get(spec?.loadBalancer ?? "") }]);
    }
    expect(new Set(loadBalancerOf.values()).size).toBe(loadBalancerOf.size);
  });

  it("covers every severity: what is in use pages or warns, what is only stored notifies", () => {
    const severities = new Set(DEMO_ELB_CERTIFICATES.map((spec) => spec.expectedSeverity));
    expect([...severities].sort()).toEqual(["critical", "expired", "notice", "ok", "warning"]);
    for (const spec of DEMO_ELB_CERTIFICATES) {
      const bound = spec.listeners.length > 0;
      if (["expired", "critical", "warning"].includes(spec.expectedSeverity)) {
        expect(bound, `${spec.key} is bound`).toBe(true);
      }
      if (spec.expectedSeverity === "notice") expect(bound, `${spec.key} is stored`).toBe(false);
    }
    const byName = new Map(DEMO_ELB_CERTIFICATES.map((spec) => [spec.name, spec]));
    expect(byName.get("api-example-com")?.expectedSeverity).toBe("critical");
    expect(byName.get("legacy-example-com")?.expectedSeverity).toBe("expired");
    // The client CA checks a listener's clients; the broken PEM is in use, so its problem matters.
    expect(byName.get("partner-client-ca")?.listeners.map((use) => use.role)).toEqual([
      "client_ca",
    ]);
    expect(byName.get("broken-upload")?.listeners).not.toEqual([]);
  });

  it("names as users of each CCM certificate exactly the resources that reference it", () => {
    for (const spec of DEMO_CCM_CERTIFICATES) {
      const referencing = [
        ...DEMO_ELB_CERTIFICATES.filter((elb) => elb.scmCertificateId === spec.id).map(
          (elb) => `elb ${elb.key}`,
        ),
        ...DEMO_GEMINIDB_INSTANCES.filter((db) => db.ccmCertInfo?.certId === spec.id).map(
          (db) => `geminidb ${db.key}`,
        ),
      ];
      expect(referencing.sort(), spec.key).toEqual(
        spec.expectedUsedBy.map((use) => `${use.source} ${use.key}`).sort(),
      );
    }
    // The revoked certificate is in use, so it pages; used ELB certificates are bound.
    const revoked = DEMO_CCM_CERTIFICATES.find((spec) => spec.expectedStatus === "revoked");
    expect(revoked?.expectedUsedBy).not.toEqual([]);
    for (const use of revoked?.expectedUsedBy ?? []) {
      const user = DEMO_ELB_CERTIFICATES.find((elb) => elb.key === use.key);
      expect(user?.listeners, use.key).not.toEqual([]);
    }
  });

  it("loads the GeminiDB instances, with the PEM CA behind the download link", async () => {
    const { body } = await getJson(
      `${sim.endpoints.geminidb}/v3/${sim.projectId}/instances`,
      sim.authToken,
    );
    const instances = asArray(asRecord(body).instances).map(asRecord);
    expect(instances.map((i) => i.name)).toEqual(DEMO_GEMINIDB_INSTANCES.map((s) => s.name));
    const withCa = seeded.geminidb.find((i) => i.caPem !== undefined);
    expect(withCa?.caNotAfter?.getTime()).toBe(Math.floor(now / 1000) * 1000 + 400 * DAY);
    const link = await getJson(
      `${sim.endpoints.geminidb}/v3/${sim.projectId}/instances/${withCa?.id ?? ""}/ssl-cert/download-link`,
      sim.authToken,
    );
    const url = String(asRecord(asArray(asRecord(link.body).certs)[0]).download_link);
    expect(await (await fetch(url)).text()).toBe(withCa?.caPem);
    expect(instances.find((i) => i.name === "catalog-mongodb")?.ccm_cert_info).toBeDefined();
    expect(instances.find((i) => i.name === "sessions-redis")?.ssl).toBe("0");
  });
});
