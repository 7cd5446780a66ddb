// OpenSSL's own reading of a certificate: the reference that the parser's fields and the
// exporter's values are compared with. Every test that asks openssl to read a certificate goes
// through here; it runs the openssl binary and never the project's parser. Making certificates
// is the fixtures' job (test/fixtures/cert-factory.ts), not this module's.

import { execFileSync } from "node:child_process";

/** DER bytes, or PEM text (one certificate block; openssl reads the first). */
export type CertificateInput = Uint8Array | string;

/** What OpenSSL reads from a certificate, in the parser's vocabulary. */
export interface OpensslReading {
  readonly serialNumber: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subject: string;
  readonly issuer: string;
  /** Lower-case hex without colons. */
  readonly fingerprintSha256: string;
  readonly sans: string;
  readonly isCa: boolean;
  readonly keyAlgorithm: string;
}

/** Runs `openssl x509 -noout` with `args` over one certificate and returns what it prints. */
export function opensslX509(certificate: CertificateInput, args: readonly string[]): string {
  const inform = typeof certificate === "string" ? [] : ["-inform", "DER"];
  return execFileSync("openssl", ["x509", ...inform, "-noout", ...args], {
    input: certificate,
    encoding: "utf8",
    // OpenSSL notes "No extensions in certificate" on stderr; keep test output clean.
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/**
 * `-nameopt` without dn_rev keeps DER order and, with sep_comma_plus_space and esc_2253, prints
 * names the way @peculiar/x509 does (`C=DE, O=Acme, CN=x`).
 */
const NAME_OPTIONS = "esc_2253,utf8,sep_comma_plus_space,sname";

export function readWithOpenssl(certificate: CertificateInput): OpensslReading {
  const out = opensslX509(certificate, [
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
  const lines = out.split("\n");
  const field = (prefix: string): string => {
    const line = lines.find((l) => l.startsWith(prefix));
    if (line === undefined) throw new Error(`openssl printed no ${prefix}: ${out}`);
    return line.slice(prefix.length);
  };
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
    keyAlgorithm: keyAlgorithmFromText(opensslX509(certificate, ["-text"])),
  };
}

/** The first CN of a name as `readWithOpenssl` prints it, which is the one the exporter labels. */
export function commonName(name: string): string {
  const match = /(?:^|[,/]\s*)CN\s*=\s*([^,/]*)/.exec(name);
  return match?.[1]?.trim() ?? "";
}

/** Splits a PEM bundle into its certificate blocks, normalised so openssl can read one-line PEM. */
export function certificateBlocks(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const body = block
      .replace("-----BEGIN CERTIFICATE-----", "")
      .replace("-----END CERTIFICATE-----", "")
      .replace(/\s+/g, "");
    const lines = body.match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
  });
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

/**
 * OpenSSL prints `Dec 31 23:59:59 9999 GMT`; GNU date turns that into Unix seconds. Date.parse
 * would not do: it reads years below 100 as 19xx/20xx.
 */
function unixSeconds(opensslDate: string): number {
  return Number(execFileSync("date", ["-u", "-d", opensslDate, "+%s"], { encoding: "utf8" }));
}
