// The demo scenario as data (what exists and what an exporter should conclude) plus the seeder
// that turns it into simulator state with certificates dated relative to `now`. Tests seed from
// and assert against the same list, so the two cannot drift apart. The expiring and expired ELB
// certificates are bound to HTTPS listeners, so the shipped alert rules page for them; one
// expiring certificate is only stored (a notice, never a page).
import { randomUUID } from "node:crypto";
import { generateCaCertificate, generateChain, type KeyAlgorithm } from "./certificates.js";
import { formatIsoSeconds, formatSpaceSeconds, toOneLinePem } from "./formats.js";
import type { Simulator } from "./simulator.js";

/** How a listener uses a certificate (the metric's `role` label). */
export type DemoListenerRole = "default" | "sni" | "client_ca";

/** One severity per certificate row, most urgent first (the one severity model). */
export type DemoSeverity = "expired" | "critical" | "warning" | "notice" | "ok";

export interface DemoElbListener {
  /** Stable handle, named by the certificates' `listeners`. */
  readonly key: string;
  readonly name: string;
  readonly protocol: "HTTPS";
  readonly protocolPort: number;
  /** Listeners with the same value here sit on one load balancer. */
  readonly loadBalancer: string;
}

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
  /** Managed in Cloud Certificate Manager: `source: "scm"` and this `scm_certificate_id`. */
  readonly scmCertificateId?: string;
  /** The listeners using it; empty: only stored, used by no listener. */
  readonly listeners: readonly { readonly listener: string; readonly role: DemoListenerRole }[];
  /**
   * Its most urgent row once the listeners are known (leaf, chain and API expire_time): in use,
   * it pages (expired, critical) or warns; only stored, at most a notice. An unreadable PEM is a
   * problem of its own, reported apart from expiry.
   */
  readonly expectedSeverity: DemoSeverity;
}

/** Three load balancers: a web front end, an API gateway with mutual TLS, a forgotten one. */
export const DEMO_ELB_LISTENERS: readonly DemoElbListener[] = [
  {
    key: "web",
    name: "web-https-443",
    protocol: "HTTPS",
    protocolPort: 443,
    loadBalancer: "web",
  },
  {
    key: "api",
    name: "api-mtls-443",
    protocol: "HTTPS",
    protocolPort: 443,
    loadBalancer: "api",
  },
  {
    key: "legacy",
    name: "legacy-https-443",
    protocol: "HTTPS",
    protocolPort: 443,
    loadBalancer: "legacy",
  },
];

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
    scmCertificateId: "scs1700000000001",
    listeners: [{ listener: "web", role: "default" }],
    expectedSeverity: "ok",
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
    listeners: [{ listener: "api", role: "default" }],
    expectedSeverity: "critical",
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
    listeners: [{ listener: "legacy", role: "default" }],
    expectedSeverity: "expired",
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
    listeners: [{ listener: "api", role: "client_ca" }],
    expectedSeverity: "ok",
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
    listeners: [{ listener: "web", role: "sni" }],
    expectedSeverity: "ok",
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
    // Only stored; 30 of 90 days left is above the 27-day warning threshold, so not even a notice.
    listeners: [],
    expectedSeverity: "ok",
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
    listeners: [{ listener: "legacy", role: "sni" }],
    expectedSeverity: "ok",
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
    listeners: [{ listener: "web", role: "sni" }],
    // The intermediate's 20 days are within 28 (it lives over a year), beyond 7.
    expectedSeverity: "warning",
  },
  {
    key: "stored-expiring",
    name: "old-www-example-com",
    description: "Last quarter's www certificate, replaced on the listener but never deleted",
    type: "server",
    commonName: "www.example.com",
    sans: ["www.example.com", "example.com"],
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -80,
    notAfterDays: 10,
    shape: "leaf+intermediate",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 10,
    listeners: [],
    // In use, 10 of 90 days left would warn (below 27 days); stored only, a notice.
    expectedSeverity: "notice",
  },
  {
    key: "ccm-revoked",
    name: "leaked-example-com",
    description: "Deployed from Cloud Certificate Manager; CCM has revoked it since",
    type: "server",
    commonName: "leaked.example.com",
    keyAlgorithm: "EC-P-256",
    notBeforeDays: -30,
    notAfterDays: 335,
    shape: "leaf+intermediate",
    pemForm: "multi-line",
    expireTimeForm: "iso",
    expectedEarliestNotAfterDays: 335,
    scmCertificateId: "scs1700000000005",
    listeners: [{ listener: "api", role: "sni" }],
    // Its own dates are fine; the revoked CCM certificate it comes from pages.
    expectedSeverity: "ok",
  },
];

/** Cloud Certificate Manager SSL certificates of the account (the ccm source). */
export interface DemoCcmCertificate {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  /** Raw API status. */
  readonly status: string;
  /** What the exporter should make of it. */
  readonly expectedStatus: "issued" | "pending" | "expired" | "revoked" | "other";
  /** Validity relative to `now`, in days; absent for a certificate not issued yet. */
  readonly notBeforeDays?: number;
  readonly notAfterDays?: number;
  /**
   * The scenario's resources using it (by key: an ELB certificate's `scmCertificateId`, a
   * GeminiDB instance's `ccmCertInfo`). Empty: nothing the exporter sees uses it, and it is in
   * use only if installed outside Huawei Cloud; the operator may mark it stored.
   */
  readonly expectedUsedBy: readonly { readonly source: "elb" | "geminidb"; readonly key: string }[];
  /**
   * The demo's operator marks it stored only (HWCERT_STORED_CERTIFICATES, see
   * demoEnvironment): it is used by nothing the exporter sees and by nothing outside.
   */
  readonly markedStored?: true;
  /** Its row's severity under the demo's settings; undefined when it has no validity yet. */
  readonly expectedSeverity: DemoSeverity | undefined;
}

export const DEMO_CCM_CERTIFICATES: readonly DemoCcmCertificate[] = [
  {
    key: "catalog-db",
    id: "scs1700000000000000",
    name: "catalog-db-example-com",
    domain: "catalog-db.example.com",
    status: "ISSUED",
    expectedStatus: "issued",
    notBeforeDays: -300,
    notAfterDays: 65,
    expectedUsedBy: [{ source: "geminidb", key: "ccm-cert" }],
    expectedSeverity: "ok",
  },
  {
    key: "www",
    id: "scs1700000000001",
    name: "www-example-com",
    domain: "www.example.com",
    status: "ISSUED",
    expectedStatus: "issued",
    notBeforeDays: -10,
    notAfterDays: 80,
    expectedUsedBy: [{ source: "elb", key: "healthy" }],
    expectedSeverity: "ok",
  },
  {
    key: "unused-expiring",
    id: "scs1700000000002",
    name: "old-campaign-example-com",
    domain: "campaign.example.com",
    status: "ISSUED",
    expectedStatus: "issued",
    notBeforeDays: -353,
    notAfterDays: 12,
    // Used by nothing the exporter sees and marked stored by the demo's operator: within its
    // warning threshold (28 days), a notice. Unmarked it would warn, as it may be installed
    // outside Huawei Cloud.
    expectedUsedBy: [],
    markedStored: true,
    expectedSeverity: "notice",
  },
  {
    key: "in-review",
    id: "scs1700000000003",
    name: "new-api-example-com",
    domain: "new-api.example.com",
    status: "CHECKING",
    expectedStatus: "pending",
    expectedUsedBy: [],
    expectedSeverity: undefined,
  },
  {
    key: "expired",
    id: "scs1700000000004",
    name: "legacy-ccm-example-com",
    domain: "legacy.example.com",
    status: "EXPIRED",
    expectedStatus: "expired",
    notBeforeDays: -375,
    notAfterDays: -10,
    // Used by nothing the exporter sees and marked stored: a notice. Unmarked, expired, it pages.
    expectedUsedBy: [],
    markedStored: true,
    expectedSeverity: "notice",
  },
  {
    key: "revoked",
    id: "scs1700000000005",
    name: "leaked-key-example-com",
    domain: "leaked.example.com",
    status: "REVOKED",
    expectedStatus: "revoked",
    notBeforeDays: -30,
    notAfterDays: 335,
    // In use by an ELB certificate behind a listener: revoked pages.
    expectedUsedBy: [{ source: "elb", key: "ccm-revoked" }],
    expectedSeverity: "critical",
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

export interface SeededElbListener {
  readonly spec: DemoElbListener;
  readonly id: string;
  readonly loadBalancerId: string;
  /** The ELB certificate ids it references, from the certificates' `listeners`. */
  readonly defaultCertificateId: string | null;
  readonly sniCertificateIds: readonly string[];
  readonly clientCaCertificateId: string | null;
}

export interface SeededGeminiDbInstance {
  readonly spec: DemoGeminiDbInstance;
  readonly id: string;
  readonly caPem: string | undefined;
  readonly caNotAfter: Date | undefined;
}

export interface SeededCcmCertificate {
  readonly spec: DemoCcmCertificate;
  readonly id: string;
  readonly notBefore: Date | undefined;
  readonly notAfter: Date | undefined;
}

export interface SeededDemoScenario {
  readonly now: Date;
  readonly elb: readonly SeededElbCertificate[];
  readonly listeners: readonly SeededElbListener[];
  readonly geminidb: readonly SeededGeminiDbInstance[];
  readonly ccm: readonly SeededCcmCertificate[];
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
      ...(spec.scmCertificateId === undefined
        ? {}
        : { source: "scm" as const, scmCertificateId: spec.scmCertificateId }),
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

  const listeners = seedListeners(sim, elb);

  const geminidb = await seedGeminiDbInstances(sim, DEMO_GEMINIDB_INSTANCES, anchor);

  const ccm: SeededCcmCertificate[] = [];
  for (const spec of DEMO_CCM_CERTIFICATES) {
    const notBefore = spec.notBeforeDays === undefined ? undefined : at(spec.notBeforeDays);
    const notAfter = spec.notAfterDays === undefined ? undefined : at(spec.notAfterDays);
    const id = sim.ccm.add({
      id: spec.id,
      name: spec.name,
      domain: spec.domain,
      status: spec.status,
      ...(notBefore === undefined ? {} : { notBefore: notBefore.getTime() }),
      ...(notAfter === undefined ? {} : { notAfter: notAfter.getTime() }),
    });
    ccm.push({ spec, id, notBefore, notAfter });
  }

  return { now: new Date(anchor), elb, listeners, geminidb, ccm };
}

/**
 * Adds GeminiDB instances of the scenario's shape, their CA files dated relative to `anchor`
 * (Unix milliseconds). The demo seeds its own; tests add more of the same kind.
 */
export async function seedGeminiDbInstances(
  sim: Simulator,
  specs: readonly DemoGeminiDbInstance[],
  anchor: number,
): Promise<SeededGeminiDbInstance[]> {
  const at = (days: number): Date => new Date(anchor + days * DAY_MS);
  const seeded: SeededGeminiDbInstance[] = [];
  for (const spec of specs) {
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
    seeded.push({ spec, id, caPem: ca?.certificatePem, caNotAfter: ca?.facts.notAfter });
  }
  return seeded;
}

/** Adds the listeners with the references the certificates' `listeners` ask for. */
function seedListeners(
  sim: Simulator,
  certificates: readonly SeededElbCertificate[],
): SeededElbListener[] {
  for (const { spec } of certificates) {
    for (const use of spec.listeners) {
      if (!DEMO_ELB_LISTENERS.some((listener) => listener.key === use.listener)) {
        throw new Error(`demo certificate ${spec.key}: no listener ${use.listener}`);
      }
    }
  }
  const loadBalancers = new Map<string, string>();
  return DEMO_ELB_LISTENERS.map((spec) => {
    const using = (role: DemoListenerRole): string[] =>
      certificates
        .filter((certificate) =>
          certificate.spec.listeners.some((use) => use.listener === spec.key && use.role === role),
        )
        .map((certificate) => certificate.id);
    // A listener has one default certificate and one client CA at most.
    const single = (role: DemoListenerRole): string | null => {
      const ids = using(role);
      if (ids.length > 1) throw new Error(`demo listener ${spec.key}: ${ids.length} ${role}`);
      return ids[0] ?? null;
    };
    const defaultCertificateId = single("default");
    const sniCertificateIds = using("sni");
    const clientCaCertificateId = single("client_ca");
    const loadBalancerId = loadBalancers.get(spec.loadBalancer) ?? randomUUID();
    loadBalancers.set(spec.loadBalancer, loadBalancerId);
    const id = sim.elb.addListener({
      name: spec.name,
      protocol: spec.protocol,
      protocolPort: spec.protocolPort,
      defaultTlsContainerRef: defaultCertificateId,
      sniContainerRefs: sniCertificateIds,
      clientCaTlsContainerRef: clientCaCertificateId,
      loadbalancerIds: [loadBalancerId],
    });
    return {
      spec,
      id,
      loadBalancerId,
      defaultCertificateId,
      sniCertificateIds,
      clientCaCertificateId,
    };
  });
}
