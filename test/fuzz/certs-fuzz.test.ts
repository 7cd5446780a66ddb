// Property tests of the certificate parser (PEM, DER, ZIP) with random and mutated input: it
// never throws, always returns well-formed data (issue kinds from the closed set, constant-ish
// ASCII details, sane certificate fields, bounded counts), and answers the same input the same
// way. Mutations start from real certificates, chains and archives, so they reach deep into
// the DER walker, the X.509 library and the ZIP reader, not just the first format check.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  MAX_SANS_LENGTH,
  extractDerCertificates,
  parseCertificateBundle,
  type ParsedBundle,
} from "../../src/certs/index.js";
import { decodeOid, readChildren, readTlv } from "../../src/certs/der.js";
import { buildZip } from "../../src/simulator/index.js";
import { makeCertificate, toPem } from "../fixtures/cert-factory.js";

const ISSUE_KINDS = new Set(["bad_pem", "bad_certificate", "bad_archive"]);
const POSITIONS = new Set(["leaf", "intermediate", "root"]);

/** Everything a caller may rely on, whatever the input was. */
function expectWellFormed(bundle: ParsedBundle): void {
  expect(bundle.certificates.length).toBeLessThanOrEqual(1000);
  for (const issue of bundle.issues) {
    expect(ISSUE_KINDS.has(issue.kind)).toBe(true);
    // Details are built from constants and numbers, never from the input's bytes.
    expect(issue.detail).toMatch(/^[\x20-\x7e]{1,200}$/);
  }
  for (const cert of bundle.certificates) {
    expect(POSITIONS.has(cert.chainPosition)).toBe(true);
    expect(Number.isSafeInteger(cert.notBefore)).toBe(true);
    expect(Number.isSafeInteger(cert.notAfter)).toBe(true);
    expect(cert.serialNumber).toMatch(/^-?[0-9A-F]+$/);
    expect(cert.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cert.sans.length).toBeLessThanOrEqual(MAX_SANS_LENGTH);
    expect(typeof cert.subject).toBe("string");
    expect(typeof cert.keyAlgorithm).toBe("string");
  }
}

function parseTwice(input: Uint8Array | string): void {
  const first = parseCertificateBundle(input);
  expectWellFormed(first);
  // No hidden state: the same input gives the same answer.
  expect(parseCertificateBundle(input)).toEqual(first);
}

/** Edits applied to real input; positions are taken modulo its length. */
type Mutation =
  | { readonly kind: "set"; readonly at: number; readonly value: number }
  | { readonly kind: "insert"; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: "delete"; readonly at: number; readonly length: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "duplicate"; readonly at: number; readonly length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    at: fc.nat(),
    // Length bytes and tags are where parsers break: favour them.
    value: fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0x00, 0x30, 0x80, 0x84, 0xff),
    ),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 256 }),
  }),
);

function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(base);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    switch (m.kind) {
      case "set":
        if (bytes.length > 0) bytes[at] = m.value;
        break;
      case "insert":
        bytes = join(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
        break;
      case "delete":
        bytes = join(bytes.subarray(0, at), bytes.subarray(at + m.length));
        break;
      case "truncate":
        bytes = bytes.slice(0, at);
        break;
      case "duplicate":
        bytes = join(bytes.subarray(0, at + m.length), bytes.subarray(at));
        break;
    }
  }
  return bytes;
}

function join(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

interface Seeds {
  readonly der: Uint8Array;
  readonly chainDer: Uint8Array;
  readonly pem: string;
  readonly zip: Uint8Array;
}

let seeds: Seeds;

beforeAll(async () => {
  const root = await makeCertificate({ subject: "CN=Fuzz Root", ca: true });
  const leaf = await makeCertificate({
    subject: "CN=fuzz.example",
    issuer: "CN=Fuzz Root",
    serialNumber: "f1e2d3c4b5a69788",
    sans: [
      { type: "dns", value: "fuzz.example" },
      { type: "ip", value: "192.0.2.1" },
      { type: "email", value: "ops@fuzz.example" },
    ],
  });
  seeds = {
    der: leaf.der,
    chainDer: join(leaf.der, root.der),
    pem: `subject=CN = fuzz.example\n${leaf.pem}\n${root.pem}`,
    zip: buildZip([
      { name: "ca/leaf.pem", data: leaf.pem, deflate: true },
      { name: "ca/root.der", data: root.der },
      { name: "README.txt", data: "readme", deflate: true },
    ]),
  };
});

describe("the bundle parser never throws and returns well-formed data", () => {
  it("for random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), parseTwice), { numRuns: 500 });
  });

  it("for random bytes that start like DER, PEM or ZIP", () => {
    const prefix = fc.constantFrom(
      Uint8Array.of(0x30, 0x82),
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0x30, 0x80),
      ascii("-----BEGIN CERTIFICATE-----\n"),
      Uint8Array.of(0x50, 0x4b, 0x03, 0x04),
      Uint8Array.of(0xff, 0xfe),
    );
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 2048 }), (head, tail) => {
        parseTwice(join(head, tail));
      }),
      { numRuns: 500 },
    );
  });

  it("for random text, including any Unicode", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 2048 }), parseTwice), {
      numRuns: 300,
    });
  });

  it("for text made of PEM fragments in any order", () => {
    const token = fc.oneof(
      fc.constantFrom(
        "-----BEGIN CERTIFICATE-----",
        "-----END CERTIFICATE-----",
        "-----BEGIN TRUSTED CERTIFICATE-----",
        "-----END TRUSTED CERTIFICATE-----",
        "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN ",
        "-----",
        "\n",
        "\r\n",
        " ",
        "=",
        "MII",
      ),
      fc.base64String({ maxLength: 200 }),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const text = tokens.join("");
        parseTwice(text);
        parseTwice(ascii(text));
      }),
      { numRuns: 400 },
    );
  });

  it("for mutated DER certificates and chains", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("der", "chainDer"),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (seed, mutations) => {
          parseTwice(mutate(seeds[seed], mutations));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("for mutated PEM text, as text and as bytes", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const bytes = mutate(ascii(seeds.pem), mutations);
        parseTwice(bytes);
        parseTwice(new TextDecoder("latin1").decode(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("for mutated ZIP archives", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        parseTwice(mutate(seeds.zip, mutations));
      }),
      { numRuns: 600 },
    );
  });

  it("finds the certificate again when only bytes around it change", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme-ascii", maxLength: 200 }),
        fc.string({ unit: "grapheme-ascii", maxLength: 200 }),
        (before, after) => {
          // Text around PEM blocks is ignored unless it forms a block of its own.
          fc.pre(!`${before}${after}`.includes("-----"));
          const bundle = parseCertificateBundle(`${before}\n${toPem(seeds.der)}\n${after}`);
          expect(bundle.certificates).toHaveLength(1);
          expect(bundle.issues).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("extraction limits hold for any input", () => {
  it("never returns more certificates than allowed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom("der", "pem", "zip"),
        (max, copies, format) => {
          const one = format === "pem" ? ascii(toPem(seeds.der)) : seeds.der;
          const input =
            format === "zip"
              ? buildZip(
                  Array.from({ length: copies }, (_, i) => ({ name: `${i}.der`, data: one })),
                )
              : join(...Array.from({ length: copies }, () => one));
          const extracted = extractDerCertificates(input, { maxCertificates: max });
          expect(extracted.ders.length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("the DER reader never throws or reads out of bounds", () => {
  it("for random bytes at random offsets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.nat({ max: 600 }), (bytes, offset) => {
        const tlv = readTlv(bytes, offset);
        if (tlv !== undefined) {
          expect(tlv.start).toBeGreaterThan(offset);
          expect(tlv.end).toBeLessThanOrEqual(bytes.length);
          expect(tlv.end).toBeGreaterThanOrEqual(tlv.start);
          for (const child of readChildren(bytes, tlv) ?? []) {
            expect(child.end).toBeLessThanOrEqual(tlv.end);
          }
        }
        const oid = decodeOid(bytes);
        if (oid !== undefined) expect(oid).toMatch(/^\d+(\.\d+)+$/);
      }),
      { numRuns: 1000 },
    );
  });
});
