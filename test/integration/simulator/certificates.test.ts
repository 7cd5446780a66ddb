import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildZip,
  generateCaCertificate,
  generateChain,
  pemToDer,
  toOneLinePem,
} from "../../../src/simulator/index.js";
import { opensslX509, readWithOpenssl } from "../../helpers/openssl.js";

const dir = mkdtempSync(join(tmpdir(), "sim-certs-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A date as OpenSSL reads it from the certificate. */
function opensslDate(pem: string, field: "notBefore" | "notAfter"): Date {
  return new Date(readWithOpenssl(pem)[field] * 1000);
}

const pemBlocks = (pem: string): string[] =>
  pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];

describe("generated certificates", () => {
  it.each(["EC-P-256", "RSA-2048"] as const)(
    "carry exactly the requested dates (%s), as openssl reads them",
    async (keyAlgorithm) => {
      const notBefore = new Date("2025-03-01T10:20:30.999Z");
      const notAfter = new Date("2031-07-15T23:59:59Z");
      const chain = await generateChain({
        commonName: "dates.example.com",
        notBefore,
        notAfter,
        keyAlgorithm,
        depth: 1,
      });
      expect(opensslDate(chain.leafPem, "notBefore")).toEqual(new Date("2025-03-01T10:20:30Z"));
      expect(opensslDate(chain.leafPem, "notAfter")).toEqual(notAfter);
      expect(chain.leaf.notAfter).toEqual(notAfter);
      const text = opensslX509(chain.leafPem, ["-text"]);
      expect(text).toContain(keyAlgorithm === "RSA-2048" ? "Public-Key: (2048 bit)" : "prime256v1");
      expect(createPrivateKey(chain.privateKeyPem).asymmetricKeyType).toBe(
        keyAlgorithm === "RSA-2048" ? "rsa" : "ec",
      );
    },
  );

  it.each([1, 2, 3] as const)(
    "depth %i gives that many PEM blocks that verify as a chain",
    async (depth) => {
      const chain = await generateChain({
        commonName: "chain.example.com",
        sans: ["chain.example.com", "10.0.0.1"],
        notBefore: new Date(Date.now() - 86_400_000),
        notAfter: new Date(Date.now() + 30 * 86_400_000),
        depth,
        serialNumber: "0abc01",
      });
      const blocks = pemBlocks(chain.certificatePem);
      expect(blocks).toHaveLength(depth);
      expect(blocks[0]).toBe(chain.leafPem);
      expect(blocks.slice(1)).toEqual(chain.chainPems);
      expect(chain.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{64}\n/);
      expect(opensslX509(chain.leafPem, ["-serial"]).trim()).toBe("serial=0ABC01");
      expect(opensslX509(chain.leafPem, ["-ext", "subjectAltName"])).toMatch(
        /DNS:chain\.example\.com, IP Address:10\.0\.0\.1/,
      );
      if (depth > 1) {
        // The root is cached, so depth 2 reuses the same one: rebuild it for `openssl verify`.
        const root = await generateChain({
          commonName: "chain.example.com",
          notBefore: new Date(Date.now() - 86_400_000),
          notAfter: new Date(Date.now() + 30 * 86_400_000),
          depth: 3,
        });
        const rootFile = join(dir, `root-${depth}.pem`);
        const untrusted = join(dir, `untrusted-${depth}.pem`);
        writeFileSync(rootFile, root.chainPems[1] ?? "");
        writeFileSync(untrusted, chain.chainPems[0] ?? "");
        const leafFile = join(dir, `leaf-${depth}.pem`);
        writeFileSync(leafFile, chain.leafPem);
        expect(
          execFileSync(
            "openssl",
            ["verify", "-CAfile", rootFile, "-untrusted", untrusted, leafFile],
            {
              encoding: "utf8",
            },
          ),
        ).toContain(": OK");
      }
    },
  );

  it("honours an intermediate that expires before the leaf", async () => {
    const intermediateNotAfter = new Date("2030-01-01T00:00:00Z");
    const chain = await generateChain({
      commonName: "early.example.com",
      notBefore: new Date("2029-01-01T00:00:00Z"),
      notAfter: new Date("2031-01-01T00:00:00Z"),
      intermediateNotAfter,
    });
    expect(chain.chain[0]?.notAfter).toEqual(intermediateNotAfter);
    expect(opensslDate(chain.chainPems[0] ?? "", "notAfter")).toEqual(intermediateNotAfter);
  });

  it("makes self-signed CA certificates, also as DER", async () => {
    const ca = await generateCaCertificate({
      commonName: "Test CA",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2034-01-01T00:00:00Z"),
    });
    const text = opensslX509(ca.certificatePem, ["-text"]);
    expect(text).toContain("CA:TRUE");
    expect(text).toMatch(/Subject: CN = Test CA/);
    const der = opensslX509(pemToDer(ca.certificatePem), ["-enddate"]);
    expect(der.trim()).toBe("notAfter=Jan  1 00:00:00 2034 GMT");
  });

  it("toOneLinePem strips line breaks like the API reference", () => {
    expect(
      toOneLinePem("-----BEGIN CERTIFICATE-----\r\nMIIC\nAAAA\n-----END CERTIFICATE-----\n"),
    ).toBe("-----BEGIN CERTIFICATE-----MIICAAAA-----END CERTIFICATE-----");
  });

  it("buildZip writes archives unzip accepts", () => {
    const file = join(dir, "bundle.zip");
    writeFileSync(
      file,
      buildZip([
        { name: "ca.pem", data: "hello\n" },
        { name: "nested/ca.crt", data: "x".repeat(1000), deflate: true },
      ]),
    );
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toContain(
      "No errors detected",
    );
    expect(execFileSync("unzip", ["-p", file, "nested/ca.crt"], { encoding: "utf8" })).toBe(
      "x".repeat(1000),
    );
  });

  it("shares issuing CAs between leaves of similar dates (what keeps bulk generation cheap)", async () => {
    const notBefore = new Date("2026-01-01T00:00:00Z");
    const chains = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        generateChain({
          commonName: `bulk-${i}.example.com`,
          notBefore,
          notAfter: new Date(notBefore.getTime() + (i + 1) * 86_400_000),
        }),
      ),
    );
    expect(new Set(chains.map((c) => c.chainPems[0])).size).toBe(1);
    expect(new Set(chains.map((c) => c.leafPem)).size).toBe(200);
  });
});
