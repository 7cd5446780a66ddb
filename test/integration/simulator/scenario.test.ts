import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_ELB_CERTIFICATES,
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
