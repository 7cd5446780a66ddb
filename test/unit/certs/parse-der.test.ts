import { describe, expect, it } from "vitest";
import {
  MAX_SANS_LENGTH,
  formatSerialNumber,
  parseDerCertificate,
  type CertificateFields,
} from "../../../src/certs/index.js";
import type { JsonGeneralName } from "@peculiar/x509";
import {
  generateKeyPair,
  makeCertificate,
  nodeSpki,
  sm2Spki,
  withSerialContent,
  withValidity,
  type CertificateSpec,
} from "../../fixtures/cert-factory.js";
import { opensslX509, readWithOpenssl } from "../../helpers/openssl.js";

function parseOk(der: Uint8Array): CertificateFields {
  const result = parseDerCertificate(der);
  if (!result.ok) throw new Error(`unexpected issue: ${result.issue.detail}`);
  return result.certificate;
}

/** Every field OpenSSL can print must match OpenSSL's reading exactly. */
function expectOpensslAgreement(der: Uint8Array, parsed: CertificateFields): void {
  const reference = readWithOpenssl(der);
  expect({
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    subject: parsed.subject,
    issuer: parsed.issuer,
    fingerprintSha256: parsed.fingerprintSha256,
    sans: parsed.sans,
    isCa: parsed.isCa,
    keyAlgorithm: parsed.keyAlgorithm,
  }).toEqual(reference);
}

const utc = (iso: string): Date => new Date(iso);

describe("parseDerCertificate against OpenSSL", () => {
  it.each<{
    name: string;
    spec: () => Promise<CertificateSpec>;
    expected: Partial<CertificateFields>;
  }>([
    {
      name: "plain leaf with DNS and IP SANs",
      spec: () =>
        Promise.resolve({
          subject: "C=DE, O=Acme, CN=www.example.com",
          issuer: "C=DE, O=Acme, CN=Acme Issuing CA",
          sans: [
            { type: "dns", value: "www.example.com" },
            { type: "dns", value: "example.com" },
            { type: "ip", value: "192.0.2.10" },
            { type: "ip", value: "2001:db8::1" },
            { type: "email", value: "ops@example.com" },
            { type: "url", value: "https://example.com/path" },
          ],
        }),
      expected: {
        subject: "C=DE, O=Acme, CN=www.example.com",
        issuer: "C=DE, O=Acme, CN=Acme Issuing CA",
        subjectCn: "www.example.com",
        issuerCn: "Acme Issuing CA",
        sans:
          "DNS:www.example.com,DNS:example.com,IP:192.0.2.10,IP:2001:DB8:0:0:0:0:0:1," +
          "email:ops@example.com,URI:https://example.com/path",
        keyAlgorithm: "EC-P-256",
        isCa: false,
        selfSigned: false,
      },
    },
    {
      name: "serial 1",
      spec: () => Promise.resolve({ serialNumber: "01" }),
      expected: { serialNumber: "01" },
    },
    {
      name: "serial with the high bit set (DER pads it with 00, OpenSSL does not print it)",
      spec: () => Promise.resolve({ serialNumber: "80" }),
      expected: { serialNumber: "80" },
    },
    {
      name: "20-byte serial with the high bit set",
      spec: () => Promise.resolve({ serialNumber: "f1e2d3c4b5a697887766554433221100ffeeddcc" }),
      expected: { serialNumber: "F1E2D3C4B5A697887766554433221100FFEEDDCC" },
    },
    {
      name: "20-byte random serial",
      spec: () =>
        Promise.resolve({
          serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString("hex"),
        }),
      expected: {},
    },
    {
      name: "notAfter 99991231235959Z (GeneralizedTime)",
      spec: () => Promise.resolve({ notAfter: utc("9999-12-31T23:59:59Z") }),
      expected: { notAfter: 253402300799 },
    },
    {
      name: "UTCTime at both ends of its range, 1950 and 2049",
      spec: () =>
        Promise.resolve({
          notBefore: utc("1950-01-01T00:00:00Z"),
          notAfter: utc("2049-12-31T23:59:59Z"),
        }),
      expected: { notBefore: -631152000, notAfter: 2524607999 },
    },
    {
      name: "first GeneralizedTime year, 2050",
      spec: () => Promise.resolve({ notAfter: utc("2050-01-01T00:00:00Z") }),
      expected: { notAfter: 2524608000 },
    },
    {
      name: "no CN",
      spec: () => Promise.resolve({ subject: "C=DE, O=Acme No CN", issuer: "O=Other" }),
      expected: { subjectCn: "", issuerCn: "", subject: "C=DE, O=Acme No CN" },
    },
    {
      name: "unicode CN",
      spec: () => Promise.resolve({ subject: "CN=bücher-証明書.example, O=Zoë" }),
      expected: {
        subjectCn: "bücher-証明書.example",
        subject: "CN=bücher-証明書.example, O=Zoë",
        selfSigned: true,
      },
    },
    {
      name: "CA certificate",
      spec: () => Promise.resolve({ subject: "CN=Acme Root", ca: true }),
      expected: { isCa: true, selfSigned: true },
    },
    {
      name: "basicConstraints present with cA false",
      spec: () => Promise.resolve({ subject: "CN=not-a-ca", issuer: "CN=Acme Root", ca: false }),
      expected: { isCa: false, selfSigned: false },
    },
    {
      name: "RFC 4514 special characters in names",
      spec: () =>
        Promise.resolve({
          subject: "O=Acme\\, Inc., CN=a\\+b.example",
          issuer: 'O=Quote \\"Q\\" Ltd, CN=x;y',
        }),
      expected: {
        subject: "O=Acme\\, Inc., CN=a\\+b.example",
        subjectCn: "a+b.example",
        issuer: 'O=Quote \\"Q\\" Ltd, CN=x\\;y',
      },
    },
    {
      name: "RSA 2048",
      spec: () => Promise.resolve({ publicKey: nodeSpki("rsa", { modulusLength: 2048 }) }),
      expected: { keyAlgorithm: "RSA-2048" },
    },
    {
      name: "RSA with a modulus that is not a multiple of 8 bits",
      spec: () => Promise.resolve({ publicKey: nodeSpki("rsa", { modulusLength: 1025 }) }),
      expected: { keyAlgorithm: "RSA-1025" },
    },
    {
      name: "EC P-384",
      spec: () => Promise.resolve({ publicKey: nodeSpki("ec", { namedCurve: "secp384r1" }) }),
      expected: { keyAlgorithm: "EC-P-384" },
    },
    {
      name: "EC P-521",
      spec: () => Promise.resolve({ publicKey: nodeSpki("ec", { namedCurve: "secp521r1" }) }),
      expected: { keyAlgorithm: "EC-P-521" },
    },
    {
      name: "EC secp256k1",
      spec: () => Promise.resolve({ publicKey: nodeSpki("ec", { namedCurve: "secp256k1" }) }),
      expected: { keyAlgorithm: "EC-secp256k1" },
    },
    {
      name: "Ed25519",
      spec: async () => {
        const keys = await generateKeyPair({ name: "Ed25519" });
        return { publicKey: keys.publicKey, signingKey: keys.privateKey };
      },
      expected: { keyAlgorithm: "Ed25519" },
    },
    {
      name: "Ed448",
      spec: () => Promise.resolve({ publicKey: nodeSpki("ed448") }),
      expected: { keyAlgorithm: "Ed448" },
    },
    {
      name: "SM2",
      spec: () => Promise.resolve({ publicKey: sm2Spki() }),
      expected: { keyAlgorithm: "SM2" },
    },
  ])("$name", async ({ spec, expected }) => {
    const { der } = await makeCertificate(await spec());
    const parsed = parseOk(der);
    expect(parsed).toMatchObject(expected);
    expectOpensslAgreement(der, parsed);
  });
});

describe("validity times read exactly as OpenSSL reads them", () => {
  const notBefore = { tag: 0x17, text: "240101000000Z" } as const;

  it.each<{ tag: 0x17 | 0x18; text: string; expected: number }>([
    { tag: 0x18, text: "20300101000000Z", expected: 1893456000 },
    { tag: 0x18, text: "19491231235959Z", expected: -631152001 },
    { tag: 0x18, text: "00010101000000Z", expected: -62135596800 },
    { tag: 0x18, text: "20300101000000.999Z", expected: 1893456000 },
    { tag: 0x18, text: "203001010000Z", expected: 1893456000 },
    { tag: 0x18, text: "20300101000000+0100", expected: 1893452400 },
    { tag: 0x18, text: "20300101000000-0130", expected: 1893461400 },
    { tag: 0x17, text: "280229000000Z", expected: 1835395200 },
    { tag: 0x17, text: "3001010000Z", expected: 1893456000 },
    { tag: 0x17, text: "300101000000+0100", expected: 1893452400 },
    { tag: 0x17, text: "491231235959Z", expected: 2524607999 },
    { tag: 0x17, text: "500101000000Z", expected: -631152000 },
  ])("accepts $text", async ({ tag, text, expected }) => {
    const der = withValidity((await makeCertificate()).der, notBefore, { tag, text });
    const parsed = parseOk(der);
    expect(parsed.notAfter).toBe(expected);
    expect(readWithOpenssl(der).notAfter).toBe(expected);
  });

  it.each<{ tag: 0x17 | 0x18; text: string }>([
    { tag: 0x17, text: "301301000000Z" },
    { tag: 0x17, text: "300230000000Z" },
    { tag: 0x17, text: "300229000000Z" },
    { tag: 0x17, text: "300101240000Z" },
    { tag: 0x17, text: "300101235960Z" },
    { tag: 0x17, text: "300101000000" },
    { tag: 0x17, text: "300101000000+1300" },
    { tag: 0x17, text: " 00101000000Z" },
    { tag: 0x17, text: "20300101000000Z" },
    { tag: 0x18, text: "2030010100000Z" },
    { tag: 0x18, text: "20300101000000.Z" },
    { tag: 0x18, text: "20300101000000z" },
    { tag: 0x18, text: "+0300101000000Z" },
    { tag: 0x18, text: "300101000000Z" },
  ])("rejects $text like OpenSSL", async ({ tag, text }) => {
    const der = withValidity((await makeCertificate()).der, notBefore, { tag, text });
    expect(parseDerCertificate(der)).toEqual({
      ok: false,
      issue: { kind: "bad_certificate", detail: "certificate validity dates cannot be read" },
    });
    expect(opensslX509(der, ["-enddate"]).trim()).toBe("notAfter=Bad time value");
  });
});

describe("SAN kinds OpenSSL words differently", () => {
  // OpenSSL prints `othername:UPN::…`, `DirName:/C=…` and `Registered ID:…`; we keep one word
  // per kind and never fail a certificate over a name kind @peculiar/x509 cannot represent.
  it.each<{ name: string; sans: JsonGeneralName[]; expected: string }>([
    {
      name: "UPN other name",
      sans: [{ type: "upn", value: "user@example.com" }],
      expected: "othername:1.3.6.1.4.1.311.20.2.3",
    },
    {
      name: "directory name",
      sans: [{ type: "dn", value: "C=DE, CN=dir.example" }],
      expected: "DirName:C=DE, CN=dir.example",
    },
    {
      name: "registered ID",
      sans: [{ type: "id", value: "1.2.3.4.5" }],
      expected: "RID:1.2.3.4.5",
    },
    {
      name: "mixed with DNS",
      sans: [
        { type: "dns", value: "a.example" },
        { type: "guid", value: "8ee13e53-2c1c-42bb-8df7-39927c0bdbb6" },
        { type: "ip", value: "::" },
      ],
      expected: "DNS:a.example,othername:1.3.6.1.4.1.311.25.1,IP:0:0:0:0:0:0:0:0",
    },
  ])("$name", async ({ sans, expected }) => {
    const { der } = await makeCertificate({ sans });
    expect(parseOk(der).sans).toBe(expected);
  });
});

describe("serial numbers OpenSSL must agree on", () => {
  // Content bytes of the DER INTEGER, crafted directly because generators normalise them.
  it.each([
    { content: [0x00], expected: "00" },
    { content: [0x01], expected: "01" },
    { content: [0x00, 0x80], expected: "80" },
    { content: [0x00, 0xff, 0x01], expected: "FF01" },
    { content: [0x7f, 0xff], expected: "7FFF" },
    { content: [0xff], expected: "-01" },
    { content: [0x80], expected: "-80" },
    { content: [0x80, 0x00], expected: "-8000" },
    { content: [0xff, 0x7f], expected: "-81" },
    { content: [0x80, 0x01], expected: "-7FFF" },
    { content: [0xfe, 0xdc, 0xba, 0x98], expected: "-01234568" },
  ])("INTEGER $content prints $expected", async ({ content, expected }) => {
    const { der: original } = await makeCertificate();
    const der = withSerialContent(original, Uint8Array.from(content));
    expect(formatSerialNumber(Uint8Array.from(content))).toBe(expected);
    const parsed = parseOk(der);
    expect(parsed.serialNumber).toBe(expected);
    expect(readWithOpenssl(der).serialNumber).toBe(expected);
  });
});

describe("SAN length bound", () => {
  const names = (count: number, width: number) =>
    Array.from({ length: count }, (_, i) => ({
      type: "dns" as const,
      value: `${String(i).padStart(width, "0")}.example`,
    }));

  it.each([
    // 50 entries of 13+4 chars joined: 50*17 + 49 = 899, fits.
    { name: "fits", sans: names(50, 5), length: 899, suffix: null },
    // 100 entries: 56 whole entries (56*17 + 55 = 1007) plus ",…(+44 more)" (12) = 1019.
    { name: "cut", sans: names(100, 5), length: 1019, suffix: ",…(+44 more)" },
    {
      name: "one huge entry",
      sans: [{ type: "dns" as const, value: `${"a".repeat(1100)}.example` }],
      length: 10,
      suffix: "…(+1 more)",
    },
  ])("$name", async ({ sans, length, suffix }) => {
    const { der } = await makeCertificate({ sans });
    const parsed = parseOk(der);
    expect(parsed.sans.length).toBe(length);
    expect(parsed.sans.length).toBeLessThanOrEqual(MAX_SANS_LENGTH);
    if (suffix === null) {
      expect(parsed.sans).toBe(readWithOpenssl(der).sans);
    } else {
      expect(parsed.sans.endsWith(suffix)).toBe(true);
      const kept = parsed.sans.slice(0, -suffix.length);
      expect(readWithOpenssl(der).sans.startsWith(kept)).toBe(true);
    }
  });
});

describe("bytes that are not a certificate", () => {
  it.each([
    { name: "empty", bytes: [], detail: "not a DER-encoded X.509 certificate" },
    {
      name: "garbage",
      bytes: [0xde, 0xad, 0xbe, 0xef],
      detail: "not a DER-encoded X.509 certificate",
    },
    { name: "empty SEQUENCE", bytes: [0x30, 0x00], detail: "not a DER-encoded X.509 certificate" },
    {
      name: "truncated length",
      bytes: [0x30, 0x82, 0x05],
      detail: "not a DER-encoded X.509 certificate",
    },
    {
      name: "indefinite length (BER)",
      bytes: [0x30, 0x80, 0x00, 0x00],
      detail: "not a DER-encoded X.509 certificate",
    },
    {
      name: "three SEQUENCEs of junk",
      bytes: [0x30, 0x09, 0x30, 0x03, 0x02, 0x01, 0x01, 0x30, 0x00, 0x03, 0x00],
      detail: "not a DER-encoded X.509 certificate",
    },
  ])("$name → bad_certificate", ({ bytes, detail }) => {
    expect(parseDerCertificate(Uint8Array.from(bytes))).toEqual({
      ok: false,
      issue: { kind: "bad_certificate", detail },
    });
  });

  it("certificate followed by extra bytes → bad_certificate", async () => {
    const { der } = await makeCertificate();
    const padded = Uint8Array.from([...der, 0x00]);
    expect(parseDerCertificate(padded)).toEqual({
      ok: false,
      issue: { kind: "bad_certificate", detail: "unexpected bytes after the certificate" },
    });
  });

  it("every truncation of a real certificate → an issue, never a throw", async () => {
    const { der } = await makeCertificate({ sans: [{ type: "dns", value: "a.example" }] });
    for (let length = 0; length < der.length; length += 1) {
      const result = parseDerCertificate(der.subarray(0, length));
      expect(result.ok).toBe(false);
    }
  });

  it("every single-byte corruption → a result with a constant detail, never a throw", async () => {
    const { der } = await makeCertificate({
      sans: [{ type: "dns", value: "a.example" }],
      ca: true,
    });
    const details = new Set<string>();
    for (let i = 0; i < der.length; i += 1) {
      const corrupt = Uint8Array.from(der);
      corrupt[i] = (corrupt[i] ?? 0) ^ 0xa5;
      const result = parseDerCertificate(corrupt);
      if (!result.ok) details.add(`${result.issue.kind}: ${result.issue.detail}`);
    }
    expect([...details].sort()).toEqual([
      "bad_certificate: X.509 certificate cannot be decoded",
      "bad_certificate: certificate validity dates cannot be read",
      "bad_certificate: not a DER-encoded X.509 certificate",
      "bad_certificate: unexpected bytes after the certificate",
    ]);
  });
});
