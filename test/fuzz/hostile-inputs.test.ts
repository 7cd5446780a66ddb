// Inputs built to exhaust a parser: 10,000 PEM blocks, a 4 MiB run of BEGIN markers, DER nested
// 100,000 levels deep (alone, and inside an extension the X.509 library must decode), zip bombs
// that lie about their size or reuse one entry a hundred times, and certificates with fields
// at the edge of what X.509 allows (1,000-byte serials, empty names, control characters, year
// 0000 and 9999). Each finishes in bounded time and memory and yields data or issues, never a
// throw. Time and memory bounds are generous: they catch a hang or an unbounded buffer only.

import { Extension, X509CertificateGenerator } from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCertificateBundle, type ParsedBundle } from "../../src/certs/index.js";
import {
  concat,
  encodeTlv,
  makeCertificate,
  sharedKeyPair,
  toPem,
  withSerialContent,
  withValidity,
} from "../fixtures/cert-factory.js";
import { commonNames } from "../helpers/raw-names.js";
import { makeZipBomb, patchCentralDirectory } from "../fixtures/zip-factory.js";

const MiB = 1024 * 1024;

/** Parses while watching wall time and resident memory; both bounds are generous. */
function parseBounded(input: Uint8Array | string, limits = {}): ParsedBundle {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const bundle = parseCertificateBundle(input, limits);
  expect(performance.now() - started).toBeLessThan(15_000);
  expect((process.memoryUsage().rss - rss) / MiB).toBeLessThan(256);
  return bundle;
}

let leafPem: string;
let leafDer: Uint8Array;

beforeAll(async () => {
  const leaf = await makeCertificate({ subject: "CN=hostile.example", issuer: "CN=Hostile CA" });
  leafPem = leaf.pem;
  leafDer = leaf.der;
});

describe("PEM built to exhaust the parser", () => {
  const block = (body: string): string =>
    `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

  it("10,000 blocks of a real certificate: refused unread beyond 4 MiB", () => {
    const text = leafPem.repeat(10_000);
    expect(text.length).toBeGreaterThan(4 * MiB);
    const bundle = parseBounded(text);
    expect(bundle.certificates).toEqual([]);
    expect(bundle.issues).toEqual([
      { kind: "bad_pem", detail: "input exceeds 4194304 bytes; not parsed" },
    ]);
  });

  it("10,000 blocks of a real certificate with the size limit raised: 1,000 decoded", () => {
    const bundle = parseBounded(leafPem.repeat(10_000), { maxInputBytes: 64 * MiB });
    expect(bundle.certificates).toHaveLength(1);
    expect(bundle.issues).toEqual([
      { kind: "bad_pem", detail: "more than 1000 certificates; the rest were ignored" },
    ]);
  });

  it("10,000 small blocks that are not certificates: issues stop at the block limit", () => {
    const bundle = parseBounded(block("MAA=").repeat(10_000));
    expect(bundle.certificates).toEqual([]);
    expect(bundle.issues.length).toBeLessThanOrEqual(1001);
    expect(bundle.issues).toContainEqual({
      kind: "bad_pem",
      detail: "more than 1000 certificates; the rest were ignored",
    });
  });

  it.each([
    ["BEGIN markers with no label end", "-----BEGIN ".repeat(380_000)],
    ["BEGIN lines with no END", "-----BEGIN CERTIFICATE-----\nMII\n".repeat(130_000)],
    ["dashes", "-".repeat(4 * MiB - 1)],
    ["one 4 MiB base64 line", block("A".repeat(4 * MiB - 64))],
  ])("%s (4 MiB)", (_name, text) => {
    const bundle = parseBounded(text);
    expect(bundle.certificates).toEqual([]);
    expect(bundle.issues.length).toBeGreaterThan(0);
    expect(bundle.issues.length).toBeLessThanOrEqual(1001);
  });
});

describe("deeply nested DER", () => {
  /** `depth` SEQUENCEs, each inside the next, with four-byte long-form lengths. */
  function nested(depth: number, core = new Uint8Array(0)): Uint8Array {
    const out = new Uint8Array(depth * 6 + core.length);
    out.set(core, depth * 6);
    let length = core.length;
    for (let level = depth - 1; level >= 0; level--) {
      const at = level * 6;
      out.set(
        [0x30, 0x84, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff],
        at,
      );
      length += 6;
    }
    return out;
  }

  it("100,000 levels at the top: an issue, no stack overflow", () => {
    const bundle = parseBounded(nested(100_000));
    expect(bundle.certificates).toEqual([]);
    expect(bundle.issues).toEqual([
      { kind: "bad_certificate", detail: "not a DER-encoded X.509 certificate" },
    ]);
  });

  it.each([
    ["an unknown extension", 20_000],
    ["an unknown extension", 100_000],
    ["a subjectAltName directory name", 20_000],
  ])("%s nested %i levels inside a valid certificate", async (where, depth) => {
    const keys = await sharedKeyPair();
    const extension =
      where === "an unknown extension"
        ? new Extension("1.3.6.1.4.1.99999.1", false, nested(depth))
        : new Extension("2.5.29.17", false, encodeTlv(0x30, encodeTlv(0xa4, nested(depth))));
    const cert = await X509CertificateGenerator.create({
      subject: "CN=deep.example",
      issuer: "CN=deep.example",
      serialNumber: "01",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      extensions: [extension],
    });
    const bundle = parseBounded(new Uint8Array(cert.rawData));
    // Either read (the nesting is in a part we skip) or reported; never a crash.
    expect(bundle.certificates.length + bundle.issues.length).toBeGreaterThan(0);
    for (const parsed of bundle.certificates) expect(parsed.notAfter).toBe(1893456000);
  });
});

describe("ZIP archives built to exhaust memory", () => {
  it("a 64 MiB bomb whose header claims just under the entry limit stops inflating", () => {
    const bomb = patchCentralDirectory(makeZipBomb(64), 0, { size: MiB - 1 });
    const bundle = parseBounded(bomb);
    expect(bundle.certificates).toEqual([]);
    expect(bundle.issues).toContainEqual({
      kind: "bad_archive",
      detail: "ZIP entry 1 inflates beyond its declared size",
    });
  });

  it("one 1 MiB entry listed 100 times stops at the total size limit", () => {
    const bundle = parseBounded(repeatCentralRecord(makeZipBomb(1), 100));
    expect(bundle.issues).toContainEqual({
      kind: "bad_archive",
      detail: "ZIP archive exceeds 4194304 bytes uncompressed; later entries skipped",
    });
  });
});

/** A copy of a one-entry ZIP whose central directory lists that entry `times` times. */
function repeatCentralRecord(zip: Uint8Array, times: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end -= 1;
  const cdSize = view.getUint32(end + 12, true);
  const cdOffset = view.getUint32(end + 16, true);
  const record = zip.subarray(cdOffset, cdOffset + cdSize);
  const eocd = Uint8Array.from(zip.subarray(end, end + 22));
  const eocdView = new DataView(eocd.buffer);
  eocdView.setUint16(8, times, true);
  eocdView.setUint16(10, times, true);
  eocdView.setUint32(12, cdSize * times, true);
  return concat([zip.subarray(0, cdOffset), ...Array.from({ length: times }, () => record), eocd]);
}

describe("certificates with fields at the edge of X.509", () => {
  const parseOne = (der: Uint8Array) => {
    const bundle = parseCertificateBundle(der);
    expect(bundle.issues).toEqual([]);
    expect(bundle.certificates).toHaveLength(1);
    return bundle.certificates[0]!;
  };

  it.each([
    ["a 64-byte serial", "7f".repeat(64), "7F".repeat(64)],
    ["a 1,000-byte serial", "1a".repeat(1000), "1A".repeat(1000)],
    ["a huge negative serial", `80${"00".repeat(99)}`, `-80${"00".repeat(99)}`],
    ["a serial of zeros", "0000", "00"],
  ])("%s", (_name, contentHex, expected) => {
    const der = withSerialContent(leafDer, Uint8Array.from(Buffer.from(contentHex, "hex")));
    expect(parseOne(der).serialNumber).toBe(expected);
  });

  it.each([
    ["year 0000 to 9999", "00000101000000Z", "99991231235959Z", -62167219200, 253402300799],
    ["notBefore after notAfter", "20300101000000Z", "20200101000000Z", 1893456000, 1577836800],
    ["the same instant twice", "20250101000000Z", "20250101000000Z", 1735689600, 1735689600],
  ])("validity %s", (_name, from, to, notBefore, notAfter) => {
    const der = withValidity(leafDer, { tag: 0x18, text: from }, { tag: 0x18, text: to });
    expect(parseOne(der)).toMatchObject({ notBefore, notAfter });
  });

  it.each<[string, readonly (readonly string[])[], string]>([
    ["no subject at all", [], ""],
    ["a 10,000-character CN", [["x".repeat(10_000)]], "x".repeat(10_000)],
    [
      "control characters and a newline",
      [["a\u0000b\u0007c\nd\re\tf"]],
      "a\u0000b\u0007c\nd\re\tf",
    ],
    [
      "quotes, separators and backslashes",
      [['say "hi" \\ {a=b, c+d} <x>#\\']],
      'say "hi" \\ {a=b, c+d} <x>#\\',
    ],
    ["bidi overrides and emoji", [["\u202Egpj.exe\u202C 🔐"]], "\u202Egpj.exe\u202C 🔐"],
    ["several CNs (the first counts)", [["first"], ["second"]], "first"],
    ["two CNs in one RDN (the first counts)", [["one", "two"]], "one"],
  ])("a subject with %s", async (_name, rdns, cn) => {
    const subject = commonNames(rdns);
    const keys = await sharedKeyPair();
    const cert = await X509CertificateGenerator.create({
      subject,
      issuer: commonNames(rdns),
      serialNumber: "01",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
    });
    const parsed = parseOne(new Uint8Array(cert.rawData));
    expect(parsed.subjectCn).toBe(cn);
    expect(parsed.issuerCn).toBe(cn);
    expect(parsed.selfSigned).toBe(true);
    // Text formats are unaffected by what the name holds.
    expect(parseCertificateBundle(toPem(new Uint8Array(cert.rawData))).certificates).toHaveLength(
      1,
    );
  });
});
