// Test certificates made at run time with chosen dates (no committed PEM that expires on a
// calendar day). Key pairs come from a small reused pool and issuing CAs are cached by their
// parameters, so bulk generation costs one signature per leaf. Not for anything but tests.
import { createHash, webcrypto } from "node:crypto";
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PublicKey,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  type X509Certificate,
} from "@peculiar/x509";
import { toPem } from "./formats.js";

export { toOneLinePem } from "./formats.js";

export type KeyAlgorithm = "RSA-2048" | "EC-P-256";

export interface ChainRequest {
  readonly commonName: string;
  /** DNS names (or IPv4 addresses); default `[commonName]`. */
  readonly sans?: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Default EC-P-256 (fast); RSA keys come from a smaller pool. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** 1: self-signed leaf; 2: leaf + intermediate (the usual server bundle); 3: + root. Default 2. */
  readonly depth?: 1 | 2 | 3;
  /** Default: covers the leaf generously (whole UTC years), so CAs are shared between leaves. */
  readonly intermediateNotAfter?: Date;
  readonly rootNotAfter?: Date;
  /** Leaf serial, hex. Default random. */
  readonly serialNumber?: string;
}

export interface CertificateFacts {
  readonly commonName: string;
  readonly sans: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Upper-case hex, as `openssl x509 -serial` prints it. */
  readonly serialNumber: string;
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprintSha256: string;
}

export interface GeneratedChain {
  /** Leaf then chain certificates, each PEM block with normal 64-column line breaks. */
  readonly certificatePem: string;
  /** The leaf's private key, PKCS#8 PEM. Shared with other certificates from the same pool slot. */
  readonly privateKeyPem: string;
  readonly leafPem: string;
  /** Intermediate (and root for depth 3), in bundle order. */
  readonly chainPems: readonly string[];
  readonly leaf: CertificateFacts;
  /** Facts for each chain certificate, in the order of chainPems. */
  readonly chain: readonly CertificateFacts[];
}

export interface GeneratedCa {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly facts: CertificateFacts;
}

// @peculiar/x509 types its parameters with DOM WebCrypto names this Node-only project does not
// load; node:crypto's webcrypto types describe the same objects.
type SigningAlgorithm = webcrypto.Algorithm | webcrypto.EcdsaParams;

const ALGORITHMS: Readonly<
  Record<KeyAlgorithm, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams>
> = {
  "RSA-2048": {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
  "EC-P-256": { name: "ECDSA", namedCurve: "P-256" },
};
const SIGNING: Readonly<Record<KeyAlgorithm, SigningAlgorithm>> = {
  "RSA-2048": { name: "RSASSA-PKCS1-v1_5" },
  "EC-P-256": { name: "ECDSA", hash: "SHA-256" },
};
const POOL_SIZE: Readonly<Record<KeyAlgorithm, number>> = { "RSA-2048": 2, "EC-P-256": 4 };

interface PooledKey {
  readonly keys: webcrypto.CryptoKeyPair;
  /** Pre-parsed public key: handing the generator a CryptoKey makes it export and parse it per call. */
  readonly publicKey: PublicKey;
  readonly privateKeyPem: string;
  readonly algorithm: KeyAlgorithm;
}

const pools = new Map<KeyAlgorithm, Promise<PooledKey>[]>();
const poolCursor = new Map<KeyAlgorithm, number>();

async function makeKey(algorithm: KeyAlgorithm): Promise<PooledKey> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHMS[algorithm], true, ["sign", "verify"]);
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const spki = await webcrypto.subtle.exportKey("spki", keys.publicKey);
  return {
    keys,
    publicKey: new PublicKey(spki),
    privateKeyPem: toPem("PRIVATE KEY", new Uint8Array(pkcs8)),
    algorithm,
  };
}

/** Round-robin over a few key pairs per algorithm; RSA generation is far too slow per cert. */
function pooledKey(algorithm: KeyAlgorithm): Promise<PooledKey> {
  let pool = pools.get(algorithm);
  if (pool === undefined) {
    pool = [];
    pools.set(algorithm, pool);
  }
  const cursor = poolCursor.get(algorithm) ?? 0;
  poolCursor.set(algorithm, cursor + 1);
  const slot = cursor % POOL_SIZE[algorithm];
  let key = pool[slot];
  if (key === undefined) {
    key = makeKey(algorithm);
    pool[slot] = key;
  }
  return key;
}

/** A fresh key outside the pool, for a private key that must be unique (leak tests). */
export async function generateUniquePrivateKeyPem(
  algorithm: KeyAlgorithm = "EC-P-256",
): Promise<string> {
  return (await makeKey(algorithm)).privateKeyPem;
}

interface Issuer {
  readonly certificate: X509Certificate;
  readonly key: PooledKey;
  readonly pem: string;
  readonly facts: CertificateFacts;
  /** The AuthorityKeyIdentifier its subjects carry, made once (it hashes the key). */
  readonly authorityKeyIdentifier: AuthorityKeyIdentifierExtension;
}

const issuerCache = new Map<string, Promise<Issuer>>();

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep the INTEGER positive
  if (bytes[0] === 0) bytes[0] = 0x01;
  return Buffer.from(bytes).toString("hex");
}

function generalNames(sans: readonly string[]): { type: "dns" | "ip"; value: string }[] {
  return sans.map((value) =>
    /^\d{1,3}(\.\d{1,3}){3}$/.test(value) ? { type: "ip", value } : { type: "dns", value },
  );
}

function factsOf(
  certificate: X509Certificate,
  commonName: string,
  sans: readonly string[],
): CertificateFacts {
  return {
    commonName,
    sans,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    serialNumber: certificate.serialNumber.toUpperCase(),
    fingerprintSha256: createHash("sha256")
      .update(new Uint8Array(certificate.rawData))
      .digest("hex"),
  };
}

/** Whole-second dates: X.509 times carry seconds, so tests can compare exactly. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

async function createCa(params: {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  algorithm: KeyAlgorithm;
  issuer: Issuer | undefined;
  pathLength: number | undefined;
  serialNumber?: string;
}): Promise<Issuer> {
  const key = await pooledKey(params.algorithm);
  const signer = params.issuer ?? { key, certificate: undefined };
  const subject = `CN=${params.commonName}, O=Huawei Cloud Simulator`;
  const extensions = [
    new BasicConstraintsExtension(true, params.pathLength, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    await SubjectKeyIdentifierExtension.create(key.publicKey),
    params.issuer?.authorityKeyIdentifier ??
      (await AuthorityKeyIdentifierExtension.create(key.publicKey)),
  ];
  const certificate = await X509CertificateGenerator.create({
    serialNumber: params.serialNumber ?? randomSerial(),
    subject,
    issuer: params.issuer?.certificate.subject ?? subject,
    notBefore: wholeSeconds(params.notBefore),
    notAfter: wholeSeconds(params.notAfter),
    publicKey: key.publicKey,
    signingKey: signer.key.keys.privateKey,
    signingAlgorithm: SIGNING[signer.key.algorithm],
    extensions,
  });
  const pem = normalisePem(certificate.toString("pem"));
  return {
    certificate,
    key,
    pem,
    facts: factsOf(certificate, params.commonName, []),
    authorityKeyIdentifier: await AuthorityKeyIdentifierExtension.create(key.publicKey),
  };
}

function cachedCa(params: Parameters<typeof createCa>[0]): Promise<Issuer> {
  const cacheKey = [
    params.commonName,
    params.algorithm,
    params.notBefore.getTime(),
    params.notAfter.getTime(),
    params.issuer?.facts.fingerprintSha256 ?? "self",
  ].join("|");
  let issuer = issuerCache.get(cacheKey);
  if (issuer === undefined) {
    issuer = createCa(params);
    issuerCache.set(cacheKey, issuer);
  }
  return issuer;
}

function startOfUtcYear(date: Date, yearsOffset: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear() + yearsOffset, 0, 1));
}

function normalisePem(pem: string): string {
  const unified = pem.replace(/\r\n/g, "\n");
  return unified.endsWith("\n") ? unified : `${unified}\n`;
}

/** Generates a leaf and, depending on depth, its issuing intermediate and root. */
export async function generateChain(request: ChainRequest): Promise<GeneratedChain> {
  const algorithm = request.keyAlgorithm ?? "EC-P-256";
  const depth = request.depth ?? 2;
  const sans = request.sans ?? [request.commonName];
  const leafKey = await pooledKey(algorithm);

  let issuer: Issuer | undefined;
  const chain: Issuer[] = [];
  if (depth >= 2) {
    const root = await cachedCa({
      commonName: "Simulator Root CA",
      algorithm,
      notBefore: startOfUtcYear(request.notBefore, -2),
      notAfter: request.rootNotAfter ?? startOfUtcYear(request.notAfter, 10),
      issuer: undefined,
      pathLength: undefined,
    });
    issuer = await cachedCa({
      commonName: "Simulator Intermediate CA",
      algorithm,
      notBefore: startOfUtcYear(request.notBefore, -1),
      notAfter: request.intermediateNotAfter ?? startOfUtcYear(request.notAfter, 2),
      issuer: root,
      pathLength: 0,
    });
    chain.push(issuer);
    if (depth === 3) chain.push(root);
  }

  const subject = `CN=${request.commonName}`;
  const signerKey = issuer?.key ?? leafKey;
  const certificate = await X509CertificateGenerator.create({
    serialNumber: request.serialNumber ?? randomSerial(),
    subject,
    issuer: issuer?.certificate.subject ?? subject,
    notBefore: wholeSeconds(request.notBefore),
    notAfter: wholeSeconds(request.notAfter),
    publicKey: leafKey.publicKey,
    signingKey: signerKey.keys.privateKey,
    signingAlgorithm: SIGNING[signerKey.algorithm],
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
      new SubjectAlternativeNameExtension(generalNames(sans)),
      ...(issuer === undefined ? [] : [issuer.authorityKeyIdentifier]),
    ],
  });
  const leafPem = normalisePem(certificate.toString("pem"));
  const chainPems = chain.map((ca) => ca.pem);
  return {
    certificatePem: [leafPem, ...chainPems].join(""),
    privateKeyPem: leafKey.privateKeyPem,
    leafPem,
    chainPems,
    leaf: factsOf(certificate, request.commonName, sans),
    chain: chain.map((ca) => ca.facts),
  };
}

/** A self-signed CA certificate (GeminiDB CA files, ELB `client` certificates). */
export async function generateCaCertificate(request: {
  readonly commonName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly serialNumber?: string;
}): Promise<GeneratedCa> {
  // Not cached: each call is a distinct CA, as a test asking for one expects.
  const ca = await createCa({
    commonName: request.commonName,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    algorithm: request.keyAlgorithm ?? "EC-P-256",
    issuer: undefined,
    pathLength: undefined,
    ...(request.serialNumber === undefined ? {} : { serialNumber: request.serialNumber }),
  });
  return { certificatePem: ca.pem, privateKeyPem: ca.key.privateKeyPem, facts: ca.facts };
}

/** PEM → DER bytes of the first block (for CA files served as DER). */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (match?.[1] === undefined) throw new Error("pemToDer: no PEM block");
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64"));
}
