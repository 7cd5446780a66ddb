// The demo scenario as data (what exists and what an exporter should conclude) plus the seeder
// that turns it into simulator state with certificates dated relative to `now`. Tests seed from
// and assert against the same list, so the two cannot drift apart.
import { generateCaCertificate, generateChain, type KeyAlgorithm } from "./certificates.js";
import { formatIsoSeconds, formatSpaceSeconds, toOneLinePem } from "./formats.js";
import type { Simulator } from "./simulator.js";

export interface DemoElbCertificate {
  /** Stable handle for tests. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly type: "server" | "client";
  readonly commonName: string;
  readonly sans?: readonly string[];
  readonly keyAlgorithm: KeyAlgorithm;
  /** Validity relative to `now`, in days. */
  readonly notBeforeDays: number;
  readonly notAfterDays: number;
  /** Chain shape: leaf only (self-signed), leaf + intermediate, + root; "ca" = one self-signed CA. */
  readonly shape: "leaf" | "leaf+intermediate" | "leaf+intermediate+root" | "ca";
  readonly intermediateNotAfterDays?: number;
  /** How the PEM is stored: as generated, line breaks removed, or with a corrupted base64 line. */
  readonly pemForm: "multi-line" | "one-line" | "broken";
  readonly expireTimeForm: "iso" | "space";
  /** Earliest notAfter in the stored chain, days from now; undefined when the PEM is unreadable. */
  readonly expectedEarliestNotAfterDays: number | undefined;
}

export interface DemoGeminiDbInstance {
  readonly key: string;
  readonly name: string;
  readonly datastore: { readonly type: string; readonly version: string };
  readonly mode: string;
  readonly ssl: "0" | "1" | undefined;
  readonly ccmCertInfo?: { readonly certId: string; readonly certType: string };
  /** A CA file served through the download link (PEM), or none (`certs: []`). */
  readonly caFile?: {
    readonly commonName: string;
    readonly notBeforeDays: number;
    readonly notAfterDays: number;
  };
}

export const DEMO_ELB_CERTIFICATES: readonly DemoElbCertificate[] = [
  {
    key: "healthy",
    name: "www-example-com",
    description: "Public web front end, renewed every 90 days",
    type: "server",
    commonName: "www.example.com",
    sans: ["www.example.com", "example.com"],
    keyAlgorithm: "RSA-2048",
    notBeforeDays: -10,
    notAfterDays: 80,
    shape: "leaf+intermediate",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 80,
  },
  {
    key: "expiring-soon",
    name: "api-example-com",
    description: "API gateway certificate, renewal overdue",
    type: "server",
    commonName: "api.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -85,
    notAfterDays: 5,
    shape: "leaf+intermediate",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 5,
  },
  {
    key: "expired",
    name: "legacy-example-com",
    description: "Self-signed certificate nobody renewed",
    type: "server",
    commonName: "legacy.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -368,
    notAfterDays: -3,
    shape: "leaf",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: -3,
  },
  {
    key: "client-ca",
    name: "partner-client-ca",
    description: "CA that signs partners' client certificates (mutual TLS)",
    type: "client",
    commonName: "Partner Client CA",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -30,
    notAfterDays: 700,
    shape: "ca",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 700,
  },
  {
    key: "one-line-pem",
    name: "shop-example-com",
    description: "Uploaded through the API with line breaks stripped",
    type: "server",
    commonName: "shop.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -45,
    notAfterDays: 45,
    shape: "leaf+intermediate",
    pemForm: "one-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 45,
  },
  {
    key: "space-expire-time",
    name: "mail-example-com",
    description: "Older region printing expire_time without a zone marker",
    type: "server",
    commonName: "mail.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -60,
    notAfterDays: 30,
    shape: "leaf+intermediate",
    pemForm: "multi-line",
    expireTimeForm: "space",
    expectedEarliestNotAfterDays: 30,
  },
  {
    key: "broken-pem",
    name: "broken-upload",
    description: "Certificate body damaged in storage; the API still reports an expiry",
    type: "server",
    commonName: "broken.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -30,
    notAfterDays: 60,
    shape: "leaf+intermediate",
    pemForm: "broken",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: undefined,
  },
  {
    key: "intermediate-expires-first",
    name: "cdn-example-com",
    description: "Long-lived leaf behind an intermediate that expires sooner",
    type: "server",
    commonName: "cdn.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -20,
    notAfterDays: 200,
    shape: "leaf+intermediate+root",
    intermediateNotAfterDays: 20,
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 20,
  },
];

export const DEMO_GEMINIDB_INSTANCES: readonly DemoGeminiDbInstance[] = [
  {
    key: "ssl-pem",
    name: "orders-cassandra",
    datastore: { type: "cassandra", version: "3.11" },
    mode: "Cluster",
    ssl: "1",
    caFile: { commonName: "GeminiDB Simulator CA", notBeforeDays: -100, notAfterDays: 400 },
  },
  {
    key: "ssl-off",
    name: "sessions-redis",
    datastore: { type: "redis", version: "5.0" },
    mode: "Cluster",
    ssl: "0",
  },
  {
    key: "ccm-cert",
    name: "catalog-mongodb",
    datastore: { type: "mongodb", version: "4.0" },
    mode: "ReplicaSet",
    ssl: "1",
    ccmCertInfo: { certId: "scs1700000000000000", certType: "SSL" },
  },
];

export interface SeededElbCertificate {
  readonly spec: DemoElbCertificate;
  readonly id: string;
  /** The PEM as stored (after one-line or broken treatment). */
  readonly certificatePem: string;
  readonly expireTime: string;
  readonly leafNotAfter: Date;
  readonly earliestNotAfter: Date | undefined;
}

export interface SeededGeminiDbInstance {
  readonly spec: DemoGeminiDbInstance;
  readonly id: string;
  readonly caPem: string | undefined;
  readonly caNotAfter: Date | undefined;
}

export interface SeededDemoScenario {
  readonly now: Date;
  readonly elb: readonly SeededElbCertificate[];
  readonly geminidb: readonly SeededGeminiDbInstance[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Replaces the third base64 line with text that is not base64, keeping the PEM frame intact. */
function breakPem(pem: string): string {
  const lines = pem.split("\n");
  lines[3] = "THIS-LINE-IS-NOT-BASE64!!";
  return lines.join("\n");
}

/** Loads the demo scenario into the simulator's default project; dates are relative to `now`. */
export async function seedDemoScenario(
  sim: Simulator,
  now: Date | number,
): Promise<SeededDemoScenario> {
  const anchor = Math.floor((typeof now === "number" ? now : now.getTime()) / 1000) * 1000;
  const at = (days: number): Date => new Date(anchor + days * DAY_MS);

  const elb: SeededElbCertificate[] = [];
  for (const spec of DEMO_ELB_CERTIFICATES) {
    let pem: string;
    let leafNotAfter: Date;
    let earliest: Date;
    if (spec.shape === "ca") {
      const ca = await generateCaCertificate({
        commonName: spec.commonName,
        notBefore: at(spec.notBeforeDays),
        notAfter: at(spec.notAfterDays),
        keyAlgorithm: spec.keyAlgorithm,
      });
      pem = ca.certificatePem;
      leafNotAfter = ca.facts.notAfter;
      earliest = leafNotAfter;
    } else {
      const chain = await generateChain({
        commonName: spec.commonName,
        ...(spec.sans === undefined ? {} : { sans: spec.sans }),
        notBefore: at(spec.notBeforeDays),
        notAfter: at(spec.notAfterDays),
        keyAlgorithm: spec.keyAlgorithm,
        depth: spec.shape === "leaf" ? 1 : spec.shape === "leaf+intermediate" ? 2 : 3,
        ...(spec.intermediateNotAfterDays === undefined
          ? {}
          : { intermediateNotAfter: at(spec.intermediateNotAfterDays) }),
      });
      pem = chain.certificatePem;
      leafNotAfter = chain.leaf.notAfter;
      earliest = [chain.leaf, ...chain.chain].reduce(
        (min, facts) => (facts.notAfter < min ? facts.notAfter : min),
        leafNotAfter,
      );
    }
    const stored =
      spec.pemForm === "one-line"
        ? toOneLinePem(pem)
        : spec.pemForm === "broken"
          ? breakPem(pem)
          : pem;
    const expireTime =
      spec.expireTimeForm === "space"
        ? formatSpaceSeconds(leafNotAfter.getTime())
        : formatIsoSeconds(leafNotAfter.getTime());
    const id = sim.elb.add({
      name: spec.name,
      description: spec.description,
      type: spec.type,
      certificate: stored,
      expireTime,
      createdAt: formatIsoSeconds(at(spec.notBeforeDays).getTime()),
    });
    elb.push({
      spec,
      id,
      certificatePem: stored,
      expireTime,
      leafNotAfter,
      earliestNotAfter: spec.pemForm === "broken" ? undefined : earliest,
    });
  }

  const geminidb: SeededGeminiDbInstance[] = [];
  for (const spec of DEMO_GEMINIDB_INSTANCES) {
    const ca =
      spec.caFile === undefined
        ? undefined
        : await generateCaCertificate({
            commonName: spec.caFile.commonName,
            notBefore: at(spec.caFile.notBeforeDays),
            notAfter: at(spec.caFile.notAfterDays),
          });
    const id = sim.geminidb.addInstance({
      name: spec.name,
      datastore: spec.datastore,
      mode: spec.mode,
      ...(spec.ssl === undefined ? {} : { ssl: spec.ssl }),
      ...(spec.ccmCertInfo === undefined ? {} : { ccmCertInfo: spec.ccmCertInfo }),
      ...(ca === undefined ? {} : { caFile: { bytes: ca.certificatePem } }),
    });
    geminidb.push({
      spec,
      id,
      caPem: ca?.certificatePem,
      caNotAfter: ca?.facts.notAfter,
    });
  }

  return { now: new Date(anchor), elb, geminidb };
}
