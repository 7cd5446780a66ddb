import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  extractDerCertificates,
  parseCertificateBundle,
  type BundleIssue,
  type ParsedBundle,
} from "../../../src/certs/index.js";
import {
  concat,
  makeCertificate,
  toPem,
  type TestCertificate,
} from "../../fixtures/cert-factory.js";
import { makeZip, makeZipBomb, patchCentralDirectory } from "../../fixtures/zip-factory.js";

interface Fixtures {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  readonly leaf: TestCertificate;
  /** A CA that is not self-signed, alone. */
  readonly subCa: TestCertificate;
}

let f: Fixtures;

beforeAll(async () => {
  const rootName = "C=DE, O=Example, CN=Example Root CA";
  const issuingName = "C=DE, O=Example, CN=Example Issuing CA";
  f = {
    root: await makeCertificate({
      subject: rootName,
      serialNumber: "0a",
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2040-01-01T00:00:00Z"),
      ca: true,
    }),
    intermediate: await makeCertificate({
      subject: issuingName,
      issuer: rootName,
      serialNumber: "0b",
      notBefore: new Date("2021-01-01T00:00:00Z"),
      notAfter: new Date("2031-01-01T00:00:00Z"),
      ca: true,
    }),
    leaf: await makeCertificate({
      subject: "CN=www.example.com",
      issuer: issuingName,
      serialNumber: "0c",
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2025-04-01T00:00:00Z"),
      sans: [{ type: "dns", value: "www.example.com" }],
    }),
    subCa: await makeCertificate({
      subject: "CN=Lonely Sub CA",
      issuer: "CN=Somewhere Else",
      ca: true,
    }),
  };
});

/** The parts of a bundle each case pins down: `position:CN` per certificate, and all issues. */
function summarize(bundle: ParsedBundle): { certs: string[]; issues: readonly BundleIssue[] } {
  return {
    certs: bundle.certificates.map((c) => `${c.chainPosition}:${c.subjectCn}`),
    issues: bundle.issues,
  };
}

const LEAF = "leaf:www.example.com";
const INTERMEDIATE = "intermediate:Example Issuing CA";
const ROOT = "root:Example Root CA";
const CHAIN = [LEAF, INTERMEDIATE, ROOT];
const noCertificate: BundleIssue = { kind: "bad_pem", detail: "no certificate found" };

/** The ELB API's shape: every block on one line, blocks back to back. */
function oneLine(pem: string): string {
  return pem.replace(/\r?\n/g, "");
}

function base64Body(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
}

/** Deterministic noise (xorshift32) whose first byte is neither `0` (0x30) nor `P`. */
function noise(length: number): Uint8Array {
  let x = 0x12345678;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x9c;
  return out;
}

function utf16le(text: string): Uint8Array {
  return concat([Uint8Array.of(0xff, 0xfe), new Uint8Array(Buffer.from(text, "utf16le"))]);
}

describe("parseCertificateBundle: PEM text", () => {
  it.each<{
    name: string;
    input: () => string | Uint8Array;
    certs: string[];
    issues?: BundleIssue[];
  }>([
    {
      name: "leaf + intermediate + root",
      input: () => f.leaf.pem + f.intermediate.pem + f.root.pem,
      certs: CHAIN,
    },
    {
      name: "root first: order is kept, positions still right",
      input: () => f.root.pem + f.intermediate.pem + f.leaf.pem,
      certs: [ROOT, INTERMEDIATE, LEAF],
    },
    {
      name: "leaf + intermediate without the root",
      input: () => f.leaf.pem + f.intermediate.pem,
      certs: [LEAF, INTERMEDIATE],
    },
    {
      name: "one line per chain, no line breaks at all (ELB API style)",
      input: () => oneLine(f.leaf.pem + f.intermediate.pem + f.root.pem),
      certs: CHAIN,
    },
    {
      name: "CRLF line endings",
      input: () => (f.leaf.pem + f.intermediate.pem).replace(/\n/g, "\r\n"),
      certs: [LEAF, INTERMEDIATE],
    },
    {
      name: "indentation, tabs and trailing blanks",
      input: () =>
        (f.leaf.pem + "\n\n" + f.root.pem)
          .split("\n")
          .map((line, i) => (i % 2 === 0 ? `    ${line}  ` : `\t${line}\t`))
          .join("\n"),
      certs: [LEAF, ROOT],
    },
    {
      name: "openssl-style subject/issuer lines and comments around blocks",
      input: () =>
        "subject=CN = www.example.com\nissuer=CN = Example Issuing CA\n" +
        f.leaf.pem +
        "# the intermediate:\nsubject=CN = Example Issuing CA\n" +
        f.intermediate.pem +
        "trailing words",
      certs: [LEAF, INTERMEDIATE],
    },
    {
      name: "X509 CERTIFICATE label",
      input: () => toPem(f.leaf.der, "X509 CERTIFICATE"),
      certs: [LEAF],
    },
    {
      name: "TRUSTED CERTIFICATE (certificate + OpenSSL trust settings)",
      input: () =>
        execFileSync(
          "openssl",
          ["x509", "-inform", "DER", "-trustout", "-addtrust", "serverAuth"],
          { input: f.root.der, encoding: "utf8" },
        ),
      certs: [ROOT],
    },
    {
      name: "duplicates in one PEM yield one entry each",
      input: () => f.leaf.pem + f.leaf.pem + f.intermediate.pem + f.leaf.pem + f.intermediate.pem,
      certs: [LEAF, INTERMEDIATE],
    },
    {
      name: "UTF-16LE with byte order mark (Windows export)",
      input: () => utf16le(f.leaf.pem),
      certs: [LEAF],
    },
    {
      name: "UTF-8 bytes with byte order mark",
      input: () => concat([Uint8Array.of(0xef, 0xbb, 0xbf), Buffer.from(f.root.pem)]),
      certs: [ROOT],
    },
    {
      name: "a CA certificate alone is a root",
      input: () => f.root.pem,
      certs: [ROOT],
    },
    {
      name: "a CA that is not self-signed, alone, is an intermediate",
      input: () => f.subCa.pem,
      certs: ["intermediate:Lonely Sub CA"],
    },
    {
      name: "a garbage character in the base64 of block 1",
      input: () => f.leaf.pem.replace("MII", "MI!") + f.root.pem,
      certs: [ROOT],
      issues: [{ kind: "bad_pem", detail: "PEM certificate block 1 is not valid base64" }],
    },
    {
      name: "block 1 cut off before its END line, block 2 intact",
      input: () => f.leaf.pem.slice(0, 200) + "\n" + f.root.pem,
      certs: [ROOT],
      issues: [{ kind: "bad_pem", detail: "PEM certificate block 1 has no END line" }],
    },
    {
      name: "last block cut off at the end of the text",
      input: () => f.root.pem + f.leaf.pem.slice(0, 200),
      certs: [ROOT],
      issues: [{ kind: "bad_pem", detail: "PEM certificate block 2 has no END line" }],
    },
    {
      name: "block 1 is valid base64 of a truncated certificate",
      input: () => toPem(f.leaf.der.subarray(0, 300)) + f.intermediate.pem,
      certs: [INTERMEDIATE],
      issues: [{ kind: "bad_certificate", detail: "not a DER-encoded X.509 certificate" }],
    },
    {
      name: "base64 whose length is not a multiple of 4",
      input: () =>
        `-----BEGIN CERTIFICATE-----\n${base64Body(f.leaf.pem)}A\n-----END CERTIFICATE-----\n`,
      certs: [],
      issues: [{ kind: "bad_pem", detail: "PEM certificate block 1 is not valid base64" }],
    },
    {
      name: "END label does not match BEGIN",
      input: () => f.leaf.pem.replace("END CERTIFICATE", "END X509 CERTIFICATE"),
      certs: [],
      issues: [{ kind: "bad_pem", detail: "PEM certificate block 1 has no END line" }],
    },
    {
      name: "a certificate request only",
      input: () => "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
      certs: [],
      issues: [noCertificate],
    },
    { name: "empty string", input: () => "", certs: [], issues: [noCertificate] },
    { name: "empty bytes", input: () => new Uint8Array(0), certs: [], issues: [noCertificate] },
    {
      name: "text without any PEM block",
      input: () => "hello, this is not a certificate\n",
      certs: [],
      issues: [noCertificate],
    },
    { name: "random bytes", input: () => noise(4096), certs: [], issues: [noCertificate] },
  ])("$name", ({ input, certs, issues = [] }) => {
    expect(summarize(parseCertificateBundle(input()))).toEqual({ certs, issues });
  });
});

describe("parseCertificateBundle: DER", () => {
  it.each<{ name: string; input: () => Uint8Array; certs: string[]; issues?: BundleIssue[] }>([
    { name: "one DER certificate", input: () => f.leaf.der, certs: [LEAF] },
    {
      name: "DER certificates back to back",
      input: () => concat([f.leaf.der, f.intermediate.der, f.root.der]),
      certs: CHAIN,
    },
    {
      name: "DER with a trailing newline",
      input: () => concat([f.leaf.der, Uint8Array.of(0x0a)]),
      certs: [],
      issues: [{ kind: "bad_certificate", detail: "unexpected bytes after the certificate" }],
    },
    {
      name: "a PKCS#12 file is DER but not a certificate",
      input: () =>
        new Uint8Array(
          execFileSync("openssl", ["pkcs12", "-export", "-nokeys", "-passout", "pass:x"], {
            input: f.leaf.pem,
          }),
        ),
      certs: [],
      issues: [{ kind: "bad_certificate", detail: "not a DER-encoded X.509 certificate" }],
    },
  ])("$name", ({ input, certs, issues = [] }) => {
    expect(summarize(parseCertificateBundle(input()))).toEqual({ certs, issues });
  });
});

describe("parseCertificateBundle: private keys are skipped and never copied", () => {
  it.each([
    {
      label: "PRIVATE KEY",
      key: () =>
        generateKeyPairSync("ec", { namedCurve: "prime256v1" })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
    },
    {
      label: "RSA PRIVATE KEY",
      key: () =>
        generateKeyPairSync("rsa", { modulusLength: 1024 })
          .privateKey.export({ type: "pkcs1", format: "pem" })
          .toString(),
    },
    {
      label: "EC PRIVATE KEY",
      key: () =>
        generateKeyPairSync("ec", { namedCurve: "prime256v1" })
          .privateKey.export({ type: "sec1", format: "pem" })
          .toString(),
    },
    {
      label: "ENCRYPTED PRIVATE KEY",
      key: () =>
        generateKeyPairSync("ed25519")
          .privateKey.export({
            type: "pkcs8",
            format: "pem",
            cipher: "aes-256-cbc",
            passphrase: "secret",
          })
          .toString(),
    },
  ])("$label", ({ label, key }) => {
    const keyPem = key();
    expect(keyPem).toContain(`-----BEGIN ${label}-----`);
    const withCerts = parseCertificateBundle(f.leaf.pem + keyPem + f.intermediate.pem);
    const keyOnly = parseCertificateBundle(keyPem);
    expect(summarize(withCerts)).toEqual({ certs: [LEAF, INTERMEDIATE], issues: [] });
    expect(summarize(keyOnly)).toEqual({ certs: [], issues: [noCertificate] });
    const json = JSON.stringify([withCerts, keyOnly]);
    expect(json).not.toContain("PRIVATE KEY");
    for (const line of keyPem.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-"))) {
      expect(json).not.toContain(line);
    }
  });
});

describe("parseCertificateBundle: ZIP archives", () => {
  it.each<{ name: string; input: () => Uint8Array; certs: string[]; issues?: BundleIssue[] }>([
    {
      name: "PEM chain and DER root in folders, next to a key, a PKCS#12 and a README",
      input: () =>
        makeZip({
          "nginx/": new Uint8Array(0),
          "nginx/server.crt": f.leaf.pem + f.intermediate.pem,
          "nginx/server.key": generateKeyPairSync("ec", { namedCurve: "prime256v1" })
            .privateKey.export({ type: "pkcs8", format: "pem" })
            .toString(),
          "iis/server.pfx": new Uint8Array(
            execFileSync("openssl", ["pkcs12", "-export", "-nokeys", "-passout", "pass:x"], {
              input: f.leaf.pem,
            }),
          ),
          "root.der": f.root.der,
          "README.txt": "Install the certificate on your server.\n",
          "apache/chain.crt": f.intermediate.pem,
        }),
      certs: CHAIN,
    },
    {
      name: "entries stored without compression",
      input: () => makeZip({ "a.pem": f.leaf.pem, "b.der": f.root.der }, { level: 0 }),
      certs: [LEAF, ROOT],
    },
    {
      name: "zip bomb: a 50 MiB entry is refused before inflating",
      input: () => makeZipBomb(50),
      certs: [],
      issues: [{ kind: "bad_archive", detail: "ZIP entry 1 exceeds 1048576 bytes uncompressed" }],
    },
    {
      name: "zip bomb whose header claims 1000 bytes",
      input: () => patchCentralDirectory(makeZipBomb(50), 0, { size: 1000 }),
      certs: [],
      issues: [{ kind: "bad_archive", detail: "ZIP entry 1 inflates beyond its declared size" }],
    },
    {
      name: "an entry that inflates to less than it declares",
      input: () =>
        patchCentralDirectory(makeZip({ "a.pem": f.leaf.pem, "b.pem": f.root.pem }), 0, {
          size: f.leaf.pem.length + 10,
        }),
      certs: [ROOT],
      issues: [{ kind: "bad_archive", detail: "ZIP entry 1 is truncated or corrupt" }],
    },
    {
      name: "101 entries",
      input: () =>
        makeZip(
          Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`${i}.pem`, f.leaf.pem])),
        ),
      certs: [],
      issues: [{ kind: "bad_archive", detail: "ZIP archive has more than 100 entries" }],
    },
    {
      name: "100 entries of the same certificate",
      input: () =>
        makeZip(
          Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`${i}.pem`, f.leaf.pem])),
        ),
      certs: [LEAF],
    },
    {
      name: "an encrypted entry",
      input: () =>
        patchCentralDirectory(makeZip({ "a.pem": f.leaf.pem, "b.pem": f.root.pem }), 0, {
          flags: 1,
        }),
      certs: [ROOT],
      issues: [{ kind: "bad_archive", detail: "ZIP entry 1 is encrypted" }],
    },
    {
      name: "an unsupported compression method",
      input: () => patchCentralDirectory(makeZip({ "a.pem": f.leaf.pem }), 0, { method: 12 }),
      certs: [],
      issues: [
        { kind: "bad_archive", detail: "ZIP entry 1 uses unsupported compression method 12" },
      ],
    },
    {
      name: "a ZIP inside the ZIP is not opened",
      input: () => makeZip({ "inner.zip": makeZip({ "a.pem": f.leaf.pem }), "b.pem": f.root.pem }),
      certs: [ROOT],
      issues: [{ kind: "bad_archive", detail: "ZIP entry 1 is a nested archive; not extracted" }],
    },
    {
      name: "an archive cut in half",
      input: () => {
        const zip = makeZip({ "a.pem": f.leaf.pem, "b.pem": f.root.pem });
        return zip.subarray(0, zip.length >> 1);
      },
      certs: [],
      issues: [
        { kind: "bad_archive", detail: "ZIP archive has no end of central directory record" },
      ],
    },
    {
      name: "an archive holding only a README",
      input: () => makeZip({ "README.txt": "nothing here" }),
      certs: [],
      issues: [noCertificate],
    },
  ])("$name", ({ input, certs, issues = [] }) => {
    expect(summarize(parseCertificateBundle(input()))).toEqual({ certs, issues });
  });
});

describe("limits", () => {
  it.each<{
    name: string;
    input: () => string | Uint8Array;
    limits: Parameters<typeof parseCertificateBundle>[1];
    certs: string[];
    issues: BundleIssue[];
  }>([
    {
      name: "1001 PEM blocks: the first 1000 are read",
      input: () => f.leaf.pem.repeat(1000) + f.root.pem,
      limits: {},
      certs: [LEAF],
      issues: [{ kind: "bad_pem", detail: "more than 1000 certificates; the rest were ignored" }],
    },
    {
      name: "certificate budget shared by DER elements",
      input: () => concat([f.leaf.der, f.intermediate.der, f.root.der]),
      limits: { maxCertificates: 2 },
      certs: [LEAF, INTERMEDIATE],
      issues: [
        { kind: "bad_certificate", detail: "more than 2 certificates; the rest were ignored" },
      ],
    },
    {
      name: "certificate budget shared by archive entries",
      input: () => makeZip({ "a.pem": f.leaf.pem + f.intermediate.pem, "b.pem": f.root.pem }),
      limits: { maxCertificates: 2 },
      certs: [LEAF, INTERMEDIATE],
      issues: [{ kind: "bad_pem", detail: "more than 2 certificates; the rest were ignored" }],
    },
    {
      name: "text over the input limit",
      input: () => f.leaf.pem + " ".repeat(4 * 1024 * 1024),
      limits: {},
      certs: [],
      issues: [{ kind: "bad_pem", detail: "input exceeds 4194304 bytes; not parsed" }],
    },
    {
      name: "bytes over the input limit",
      input: () => makeZip({ "a.pem": f.leaf.pem }),
      limits: { maxInputBytes: 100 },
      certs: [],
      issues: [{ kind: "bad_archive", detail: "input exceeds 100 bytes; not parsed" }],
    },
  ])("$name", ({ input, limits, certs, issues }) => {
    expect(summarize(parseCertificateBundle(input(), limits))).toEqual({ certs, issues });
  });
});

describe("archive size budget", () => {
  it("stops at the entry that would exceed the total uncompressed size", () => {
    const limit = f.leaf.pem.length + 1;
    const bundle = parseCertificateBundle(makeZip({ "a.pem": f.leaf.pem, "b.pem": f.root.pem }), {
      maxArchiveTotalBytes: limit,
    });
    expect(summarize(bundle)).toEqual({
      certs: [LEAF],
      issues: [
        {
          kind: "bad_archive",
          detail: `ZIP archive exceeds ${limit} bytes uncompressed; later entries skipped`,
        },
      ],
    });
  });
});

describe("extractDerCertificates", () => {
  it("returns DERs that own their bytes, in input order", () => {
    const { ders, issues } = extractDerCertificates(
      oneLine(f.leaf.pem) + "\n" + f.root.pem.replace(/\n/g, "\r\n"),
    );
    expect(issues).toEqual([]);
    expect(ders.map((d) => Buffer.from(d).toString("hex"))).toEqual(
      [f.leaf.der, f.root.der].map((d) => Buffer.from(d).toString("hex")),
    );
    for (const der of ders) expect(der.buffer.byteLength).toBe(der.length);
  });
});
