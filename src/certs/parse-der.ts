// Turns one DER certificate into the exporter's fields, formatted the way OpenSSL prints them so
// operators can cross-check with `openssl x509`. Never throws: anything unreadable becomes a
// `bad_certificate` issue with a constant detail. Does not verify signatures or build trust paths.
import { createHash } from "node:crypto";
import { Name, X509Certificate } from "@peculiar/x509";
import { DerTag, contentOf, decodeOid, readChildren, readTlv, toHex, type Tlv } from "./der.js";
import { parseAsn1Time } from "./time.js";
import type { BundleIssue, ParsedCertificate } from "./types.js";

/** Longest `sans` value; longer lists are cut at a whole entry and end in `,…(+N more)`. */
export const MAX_SANS_LENGTH = 1024;

export type CertificateFields = Omit<ParsedCertificate, "chainPosition">;

export type DerParseResult =
  | { readonly ok: true; readonly certificate: CertificateFields }
  | { readonly ok: false; readonly issue: BundleIssue };

const OID = {
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  ecPublicKey: "1.2.840.10045.2.1",
  sm2: "1.2.156.10197.1.301",
} as const;

/** Key algorithms recognised by their SubjectPublicKeyInfo OID alone. */
const KEY_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.2.840.10040.4.1": "DSA",
  [OID.sm2]: "SM2",
  "2.16.840.1.101.3.4.3.17": "ML-DSA-44",
  "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
  "2.16.840.1.101.3.4.3.19": "ML-DSA-87",
};

/** Named curves of id-ecPublicKey keys; SM2 keys use this algorithm with the SM2 curve. */
const EC_CURVE_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.10045.3.1.7": "EC-P-256",
  "1.3.132.0.34": "EC-P-384",
  "1.3.132.0.35": "EC-P-521",
  "1.3.132.0.33": "EC-P-224",
  "1.2.840.10045.3.1.1": "EC-P-192",
  "1.3.132.0.10": "EC-secp256k1",
  "1.3.36.3.3.2.8.1.1.7": "EC-brainpoolP256r1",
  "1.3.36.3.3.2.8.1.1.11": "EC-brainpoolP384r1",
  "1.3.36.3.3.2.8.1.1.13": "EC-brainpoolP512r1",
  [OID.sm2]: "SM2",
};

const utf8 = new TextDecoder("utf-8");

export function parseDerCertificate(der: Uint8Array): DerParseResult {
  const raw = readRawFields(der);
  if (typeof raw === "string") return failure(raw);
  try {
    const cert = new X509Certificate(der);
    const subject = cert.subject;
    const issuer = cert.issuer;
    const sanValue = raw.extensions.get(OID.subjectAltName);
    const bcValue = raw.extensions.get(OID.basicConstraints);
    return {
      ok: true,
      certificate: {
        subject,
        issuer,
        subjectCn: cert.subjectName.getField("CN")[0] ?? "",
        issuerCn: cert.issuerName.getField("CN")[0] ?? "",
        serialNumber: formatSerialNumber(raw.serial),
        notBefore: raw.notBefore,
        notAfter: raw.notAfter,
        fingerprintSha256: createHash("sha256").update(der).digest("hex"),
        sans: sanValue === undefined ? "" : joinSans(readSubjectAltNames(sanValue)),
        keyAlgorithm: describeKeyAlgorithm(der, raw.spki),
        isCa: bcValue !== undefined && readBasicConstraintsCa(bcValue),
        selfSigned: subject === issuer,
      },
    };
  } catch {
    // The library's messages may quote decoded values; keep the detail constant.
    return failure("X.509 certificate cannot be decoded");
  }
}

/**
 * The serial as `openssl x509 -serial` prints it: the INTEGER's magnitude in upper-case hex
 * without DER's sign padding, `-` before negative values, `00` for zero. (OpenSSL also breaks
 * lines every 35 bytes; we do not, since RFC 5280 caps serials at 20 bytes and this is a label.)
 */
export function formatSerialNumber(content: Uint8Array): string {
  const negative = ((content[0] ?? 0) & 0x80) !== 0;
  let magnitude = Uint8Array.from(content);
  if (negative) {
    // Two's complement: invert and add one.
    let carry = 1;
    for (let i = magnitude.length - 1; i >= 0; i -= 1) {
      const sum = ((magnitude[i] ?? 0) ^ 0xff) + carry;
      magnitude[i] = sum & 0xff;
      carry = sum >> 8;
    }
  }
  let first = 0;
  while (first < magnitude.length - 1 && magnitude[first] === 0) first += 1;
  magnitude = magnitude.subarray(first);
  const hex = magnitude.length === 0 ? "00" : toHex(magnitude).toUpperCase();
  return negative ? `-${hex}` : hex;
}

/** Joins SAN entries, cutting at a whole entry so the result stays within MAX_SANS_LENGTH. */
function joinSans(entries: readonly string[]): string {
  const all = entries.join(",");
  if (all.length <= MAX_SANS_LENGTH) return all;
  let kept = "";
  for (let count = 0; count < entries.length; count += 1) {
    const candidate = count === 0 ? (entries[0] ?? "") : `${kept},${entries[count] ?? ""}`;
    const rest = entries.length - count - 1;
    if (`${candidate},…(+${rest} more)`.length > MAX_SANS_LENGTH) {
      const omitted = entries.length - count;
      return count === 0 ? `…(+${omitted} more)` : `${kept},…(+${omitted} more)`;
    }
    kept = candidate;
  }
  return kept;
}

interface RawFields {
  readonly serial: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly spki: Tlv;
  /** extnValue contents by extension OID; the first occurrence wins. */
  readonly extensions: ReadonlyMap<string, Uint8Array>;
}

/** Walks Certificate → TBSCertificate by hand; returns an issue detail when the shape is wrong. */
function readRawFields(der: Uint8Array): RawFields | string {
  const notCertificate = "not a DER-encoded X.509 certificate";
  const outer = readTlv(der, 0);
  if (outer?.tag !== DerTag.sequence) return notCertificate;
  if (outer.end !== der.length) return "unexpected bytes after the certificate";
  const parts = readChildren(der, outer);
  const tbs = parts?.[0];
  if (parts?.length !== 3 || tbs?.tag !== DerTag.sequence) return notCertificate;
  const fields = readChildren(der, tbs);
  if (fields === undefined) return notCertificate;
  // [0] EXPLICIT version is optional (absent means v1).
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[at];
  const validity = fields[at + 3];
  const spki = fields[at + 5];
  if (
    serial?.tag !== DerTag.integer ||
    validity?.tag !== DerTag.sequence ||
    spki?.tag !== DerTag.sequence
  ) {
    return notCertificate;
  }
  // Our own strict reading: the library's time parser accepts junk such as month 13.
  const [start, end] = readChildren(der, validity) ?? [];
  const notBefore = start && parseAsn1Time(start.tag, contentOf(der, start));
  const notAfter = end && parseAsn1Time(end.tag, contentOf(der, end));
  if (notBefore === undefined || notAfter === undefined) {
    return "certificate validity dates cannot be read";
  }
  const extensions = new Map<string, Uint8Array>();
  const wrapper = fields.slice(at + 6).find((f) => f.tag === 0xa3);
  const list = wrapper === undefined ? undefined : readChildren(der, wrapper)?.[0];
  for (const ext of list === undefined ? [] : (readChildren(der, list) ?? [])) {
    const items = readChildren(der, ext) ?? [];
    const id = items[0];
    const value = items[items.length - 1];
    if (id?.tag !== DerTag.oid || value?.tag !== DerTag.octetString) continue;
    const oid = decodeOid(contentOf(der, id));
    if (oid !== undefined && !extensions.has(oid)) extensions.set(oid, contentOf(der, value));
  }
  return { serial: contentOf(der, serial), notBefore, notAfter, spki, extensions };
}

function describeKeyAlgorithm(der: Uint8Array, spki: Tlv): string {
  const [algorithm, key] = readChildren(der, spki) ?? [];
  const [idTlv, params] = algorithm === undefined ? [] : (readChildren(der, algorithm) ?? []);
  const oid = idTlv?.tag === DerTag.oid ? decodeOid(contentOf(der, idTlv)) : undefined;
  if (oid === undefined) return "unknown";
  if (oid === OID.rsaEncryption || oid === OID.rsaPss) {
    const bits = key?.tag === DerTag.bitString ? rsaModulusBits(contentOf(der, key)) : undefined;
    return bits === undefined ? "RSA" : `RSA-${bits}`;
  }
  if (oid === OID.ecPublicKey) {
    // Explicit curve parameters (a SEQUENCE) have no name worth reporting.
    if (params?.tag !== DerTag.oid) return "EC";
    const curve = decodeOid(contentOf(der, params));
    return curve === undefined ? "EC" : (EC_CURVE_NAMES[curve] ?? `EC-${curve}`);
  }
  return KEY_ALGORITHM_NAMES[oid] ?? oid;
}

/** Bit length of an RSAPublicKey modulus, counted like OpenSSL's BN_num_bits. */
function rsaModulusBits(bitString: Uint8Array): number | undefined {
  // The first BIT STRING content byte counts unused bits; the key follows.
  const key = bitString.subarray(1);
  const seq = readTlv(key, 0);
  const modulus = seq?.tag === DerTag.sequence ? readChildren(key, seq)?.[0] : undefined;
  if (modulus?.tag !== DerTag.integer) return undefined;
  const bytes = contentOf(key, modulus);
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i += 1;
  const top = bytes[i];
  if (top === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(top));
}

function readBasicConstraintsCa(value: Uint8Array): boolean {
  const seq = readTlv(value, 0);
  const first = seq?.tag === DerTag.sequence ? readChildren(value, seq)?.[0] : undefined;
  // cA is an optional BOOLEAN DEFAULT FALSE, so only an explicit non-zero value means CA.
  return (
    first?.tag === DerTag.boolean && value[first.start] !== undefined && value[first.start] !== 0
  );
}

/** SAN entries in OpenSSL's vocabulary (`IP Address` shortened to `IP`); lenient on bad input. */
function readSubjectAltNames(value: Uint8Array): string[] {
  const seq = readTlv(value, 0);
  const names = seq?.tag === DerTag.sequence ? readChildren(value, seq) : undefined;
  const entries: string[] = [];
  for (const name of names ?? []) {
    const content = contentOf(value, name);
    switch (name.tag) {
      case 0x81:
        entries.push(`email:${utf8.decode(content)}`);
        break;
      case 0x82:
        entries.push(`DNS:${utf8.decode(content)}`);
        break;
      case 0x86:
        entries.push(`URI:${utf8.decode(content)}`);
        break;
      case 0x87:
        entries.push(`IP:${formatIpAddress(content)}`);
        break;
      case 0x88:
        entries.push(`RID:${decodeOid(content) ?? "<invalid>"}`);
        break;
      case 0xa0: {
        const typeId = readTlv(content, 0);
        const oid = typeId?.tag === DerTag.oid ? decodeOid(contentOf(content, typeId)) : undefined;
        entries.push(`othername:${oid ?? "<invalid>"}`);
        break;
      }
      case 0xa4:
        entries.push(`DirName:${formatDirectoryName(content)}`);
        break;
      default:
        // x400Address and ediPartyName: OpenSSL prints no value for them either.
        break;
    }
  }
  return entries;
}

/** IPv4 dotted quad; IPv6 as OpenSSL 3 prints it (eight upper-case groups, no `::`). */
function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16).toUpperCase());
    }
    return groups.join(":");
  }
  return "<invalid>";
}

function formatDirectoryName(content: Uint8Array): string {
  try {
    return new Name(content).toString();
  } catch {
    return "<invalid>";
  }
}

function failure(detail: string): DerParseResult {
  return { ok: false, issue: { kind: "bad_certificate", detail } };
}
