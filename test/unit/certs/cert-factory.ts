// Test-time certificate factory and an OpenSSL oracle. Certificates are generated with chosen
// dates on every run (nothing committed can expire), and `readWithOpenssl` gives the reference
// reading that the parser must reproduce field by field.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, webcrypto } from "node:crypto";
import {
  BasicConstraintsExtension,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
  type Extension,
  type JsonGeneralName,
} from "@peculiar/x509";
import { contentOf, readChildren, readTlv } from "../../../src/certs/der.js";

export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
}

export interface CertificateSpec {
  readonly subject?: string;
  /** Defaults to `subject` (a self-signed name). */
  readonly issuer?: string;
  /** Hex; the generator adds DER sign padding itself. */
  readonly serialNumber?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** SubjectPublicKeyInfo DER or a WebCrypto public key; defaults to the shared signing key. */
  readonly publicKey?: Uint8Array | webcrypto.CryptoKey;
  readonly signingKey?: webcrypto.CryptoKey;
  readonly sans?: readonly JsonGeneralName[];
  /** Adds basicConstraints with this cA flag. */
  readonly ca?: boolean;
}

const ecdsa = { name: "ECDSA", namedCurve: "P-256" } as const;
let sharedKeys: Promise<webcrypto.CryptoKeyPair> | undefined;

/** One P-256 key pair signs every test certificate: fast, and signatures are never verified. */
export function sharedKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  sharedKeys ??= webcrypto.subtle.generateKey(ecdsa, true, ["sign", "verify"]);
  return sharedKeys;
}

/** A WebCrypto signing key pair for asymmetric algorithms such as Ed25519. */
export async function generateKeyPair(algorithm: {
  readonly name: string;
}): Promise<webcrypto.CryptoKeyPair> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  if (!isKeyPair(keys)) throw new Error(`${algorithm.name} is not an asymmetric algorithm`);
  return keys;
}

function isKeyPair(
  keys: webcrypto.CryptoKey | webcrypto.CryptoKeyPair,
): keys is webcrypto.CryptoKeyPair {
  return "privateKey" in keys;
}

export async function makeCertificate(spec: CertificateSpec = {}): Promise<TestCertificate> {
  const keys = await sharedKeyPair();
  const extensions: Extension[] = [];
  if (spec.ca !== undefined)
    extensions.push(new BasicConstraintsExtension(spec.ca, undefined, true));
  if (spec.sans !== undefined) extensions.push(new SubjectAlternativeNameExtension([...spec.sans]));
  const subject = spec.subject ?? "CN=test.example";
  const cert = await X509CertificateGenerator.create({
    subject,
    issuer: spec.issuer ?? subject,
    serialNumber: spec.serialNumber ?? "01",
    notBefore: spec.notBefore ?? new Date("2024-01-01T00:00:00Z"),
    notAfter: spec.notAfter ?? new Date("2030-01-01T00:00:00Z"),
    publicKey: spec.publicKey ?? keys.publicKey,
    signingKey: spec.signingKey ?? keys.privateKey,
    extensions,
  });
  const der = new Uint8Array(cert.rawData);
  return { der, pem: toPem(der) };
}

export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const body = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body.trimEnd()}\n-----END ${label}-----\n`;
}

/** SubjectPublicKeyInfo DER for key types WebCrypto cannot make (or only experimentally). */
export function nodeSpki(
  type: "rsa" | "ed448" | "ec",
  options: { modulusLength?: number; namedCurve?: string } = {},
): Uint8Array {
  const { publicKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: options.modulusLength ?? 2048 })
      : type === "ec"
        ? generateKeyPairSync("ec", { namedCurve: options.namedCurve ?? "prime256v1" })
        : generateKeyPairSync("ed448");
  return new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
}

/** An SM2 public key, made by OpenSSL since Node's crypto has no SM2 key generation. */
export function sm2Spki(): Uint8Array {
  const key = execFileSync("openssl", [
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:SM2",
  ]);
  return new Uint8Array(
    execFileSync("openssl", ["pkey", "-pubout", "-outform", "DER"], { input: key }),
  );
}

/** Replaces the serial INTEGER's content bytes, to craft encodings the generator will not make. */
export function withSerialContent(der: Uint8Array, serial: Uint8Array): Uint8Array {
  return replaceTbsField(der, 0, encodeTlv(0x02, serial));
}

/** A time as it appears in Validity: UTCTime (tag 0x17) or GeneralizedTime (tag 0x18). */
export interface EncodedTime {
  readonly tag: 0x17 | 0x18;
  readonly text: string;
}

/** Replaces the Validity SEQUENCE, to craft times the generator will not encode. */
export function withValidity(der: Uint8Array, notBefore: EncodedTime, notAfter: EncodedTime) {
  const encode = (t: EncodedTime) => encodeTlv(t.tag, new TextEncoder().encode(t.text));
  return replaceTbsField(der, 3, encodeTlv(0x30, concat([encode(notBefore), encode(notAfter)])));
}

/**
 * Rebuilds the certificate with one TBSCertificate field replaced, counting from the serial
 * (0 = serial, 3 = validity). The signature no longer matches, which no reader here checks.
 */
function replaceTbsField(der: Uint8Array, index: number, replacement: Uint8Array): Uint8Array {
  const cert = readTlv(der, 0)!;
  const [tbs, algorithm, signature] = readChildren(der, cert)!;
  const fields = readChildren(der, tbs!)!;
  const at = (fields[0]!.tag === 0xa0 ? 1 : 0) + index;
  const parts = fields.map((f, i) => (i === at ? replacement : der.slice(f.offset, f.end)));
  const newTbs = encodeTlv(0x30, concat(parts));
  const rest = [algorithm!, signature!].map((t) => der.slice(t.offset, t.end));
  return encodeTlv(0x30, concat([newTbs, ...rest]));
}

/** The raw content bytes of the first element, e.g. to read back a crafted serial. */
export function firstContent(der: Uint8Array): Uint8Array {
  return contentOf(der, readTlv(der, 0)!);
}

export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat([Uint8Array.of(tag, ...length), content]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** What OpenSSL reads from a certificate, in the parser's vocabulary. */
export interface OpensslReading {
  readonly serialNumber: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subject: string;
  readonly issuer: string;
  readonly fingerprintSha256: string;
  readonly sans: string;
  readonly isCa: boolean;
  readonly keyAlgorithm: string;
}

/**
 * `-nameopt` without dn_rev keeps DER order and, with sep_comma_plus_space and esc_2253, prints
 * names the way @peculiar/x509 does (`C=DE, O=Acme, CN=x`).
 */
const NAME_OPTIONS = "esc_2253,utf8,sep_comma_plus_space,sname";

export function readWithOpenssl(der: Uint8Array): OpensslReading {
  const out = openssl(der, [
    "-serial",
    "-startdate",
    "-enddate",
    "-subject",
    "-issuer",
    "-fingerprint",
    "-sha256",
    "-nameopt",
    NAME_OPTIONS,
    "-ext",
    "subjectAltName,basicConstraints",
  ]);
  const field = (prefix: string): string => {
    const line = out.split("\n").find((l) => l.startsWith(prefix));
    if (line === undefined) throw new Error(`openssl printed no ${prefix}`);
    return line.slice(prefix.length);
  };
  const lines = out.split("\n");
  const sanHeader = lines.findIndex((l) => l.startsWith("X509v3 Subject Alternative Name"));
  const sans = sanHeader < 0 ? "" : (lines[sanHeader + 1] ?? "").trim();
  return {
    serialNumber: field("serial="),
    notBefore: unixSeconds(field("notBefore=")),
    notAfter: unixSeconds(field("notAfter=")),
    subject: field("subject="),
    issuer: field("issuer="),
    fingerprintSha256: field("sha256 Fingerprint=").replaceAll(":", "").toLowerCase(),
    sans: sans
      .split(", ")
      .filter((s) => s !== "")
      .map((s) => s.replace(/^IP Address:/, "IP:"))
      .join(","),
    isCa: /^\s*CA:TRUE/m.test(out),
    keyAlgorithm: keyAlgorithmFromText(openssl(der, ["-text"])),
  };
}

function keyAlgorithmFromText(text: string): string {
  const algorithm = /Public Key Algorithm: (\S+)/.exec(text)?.[1];
  const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
  const nist = /NIST CURVE: (\S+)/.exec(text)?.[1];
  const oid = /ASN1 OID: (\S+)/.exec(text)?.[1];
  switch (algorithm) {
    case "rsaEncryption":
      return `RSA-${bits ?? "?"}`;
    case "id-ecPublicKey":
      if (oid === "SM2") return "SM2";
      return `EC-${nist ?? oid ?? "?"}`;
    case "ED25519":
      return "Ed25519";
    case "ED448":
      return "Ed448";
    default:
      return algorithm ?? "?";
  }
}

export function openssl(der: Uint8Array, args: readonly string[]): string {
  return execFileSync("openssl", ["x509", "-inform", "DER", "-noout", ...args], {
    input: der,
    encoding: "utf8",
    // OpenSSL notes "No extensions in certificate" on stderr; keep test output clean.
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** OpenSSL prints `Dec 31 23:59:59 9999 GMT`; GNU date turns that into Unix seconds. */
function unixSeconds(opensslDate: string): number {
  return Number(execFileSync("date", ["-u", "-d", opensslDate, "+%s"], { encoding: "utf8" }));
}
