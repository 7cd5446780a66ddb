// Hostile certificate content end to end: names with newlines, quotes, backslashes, markup,
// bidi overrides and 10,000 characters, a 1,000-byte serial and year-9999 expiry travel from the
// simulated ELB and OBS through the daemon into /metrics (which must stay valid exposition text
// with every label value intact) and the status page (which must show no live markup).

import { X509CertificateGenerator } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { sharedKeyPair, toPem, withSerialContent } from "../fixtures/cert-factory.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { commonNames } from "../helpers/raw-names.js";
import { select } from "../helpers/metrics-text.js";
import { checkMetrics, findPromtool } from "../helpers/promtool.js";
import { NOT_AFTER } from "./world.js";

const NAMES = [
  "line one\nline two\r\nthree",
  'say "hi" \\ {a=b, c+d} back\\',
  "<script>alert(1)</script><img src=x onerror=alert(2)>",
  "\u202Egpj.exe\u202C 🔐 証明書",
  "x".repeat(10_000),
];

let sim: Simulator;
let exporter: TestDaemon;
let metricsText: string;
let page: string;

async function certificatePem(commonName: string, serialHex?: string): Promise<string> {
  const keys = await sharedKeyPair();
  const name = commonNames([[commonName]]);
  const cert = await X509CertificateGenerator.create({
    subject: name,
    issuer: name,
    serialNumber: "01",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("9999-12-31T23:59:59Z"),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
  });
  const der = new Uint8Array(cert.rawData);
  return toPem(serialHex ? withSerialContent(der, Buffer.from(serialHex, "hex")) : der);
}

beforeAll(async () => {
  sim = await startSimulator();
  for (const [i, name] of NAMES.entries()) {
    const pem = await certificatePem(name);
    sim.elb.add({ name: `odd ${name.slice(0, 40)}`, certificate: pem });
    sim.geminidb.addInstance({
      name: `odd-${i} ${name.slice(0, 40)}`,
      ssl: "1",
      caFile: { bytes: pem },
    });
  }
  sim.elb.add({
    name: "huge serial",
    certificate: await certificatePem("huge serial", "7f".repeat(1000)),
    expireTime: "9999-12-31T23:59:59Z",
  });
  exporter = await startTestDaemon(sim);
  await exporter.waitForPolls(1);
  metricsText = await exporter.scrapeText();
  page = await (await fetch(`${exporter.baseUrl}/`)).text();
});

afterAll(async () => {
  await exporter.stop();
  await sim.close();
});

describe("odd certificate names and fields", () => {
  it("keep /metrics parseable with every label value intact", async () => {
    const samples = await exporter.scrape();
    for (const source of ["elb", "geminidb"]) {
      const cns = select(samples, NOT_AFTER, { source }).map((s) => s.labels["subject_cn"]);
      for (const name of NAMES) expect(cns, `${source}: ${name.slice(0, 20)}`).toContain(name);
    }
    const huge = select(samples, NOT_AFTER, { subject_cn: "huge serial" });
    expect(huge[0]?.labels["serial_number"]).toBe("7F".repeat(1000));
    expect(huge[0]?.value).toBe(253402300799);
  });

  it("pass promtool check metrics", (context) => {
    const promtool = findPromtool();
    if (promtool === null) {
      if (process.env["CI"])
        throw new Error("promtool is required in CI (Debian package prometheus)");
      context.skip();
      return;
    }
    expect(checkMetrics(promtool, metricsText)).toBe("");
  });

  it("show no live markup on the status page", () => {
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).not.toMatch(/<img[^>]*onerror/i);
  });
});
