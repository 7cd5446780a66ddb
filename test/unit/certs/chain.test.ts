import { describe, expect, it } from "vitest";
import { assignChainPositions, type CertificateFields } from "../../../src/certs/index.js";

/** Only the fields the chain rule reads; the rest are filler. */
function cert(subject: string, issuer: string, isCa: boolean): CertificateFields {
  return {
    subject,
    issuer,
    subjectCn: subject,
    issuerCn: issuer,
    serialNumber: "01",
    notBefore: 0,
    notAfter: 1,
    fingerprintSha256: `${subject}|${issuer}`,
    sans: "",
    keyAlgorithm: "EC-P-256",
    isCa,
    selfSigned: subject === issuer,
  };
}

describe("assignChainPositions", () => {
  it.each([
    {
      name: "leaf, intermediate, root",
      certs: [cert("leaf", "int", false), cert("int", "root", true), cert("root", "root", true)],
      positions: ["leaf", "intermediate", "root"],
    },
    {
      name: "a CA alone that is self-signed",
      certs: [cert("root", "root", true)],
      positions: ["root"],
    },
    {
      name: "a CA alone that is not self-signed",
      certs: [cert("int", "root", true)],
      positions: ["intermediate"],
    },
    {
      name: "an issuer without basicConstraints is still an intermediate",
      certs: [cert("leaf", "int", false), cert("int", "root", false)],
      positions: ["leaf", "intermediate"],
    },
    {
      name: "two intermediates in a row",
      certs: [
        cert("leaf", "int2", false),
        cert("int2", "int1", false),
        cert("int1", "root", false),
      ],
      positions: ["leaf", "intermediate", "intermediate"],
    },
    { name: "a lone leaf", certs: [cert("leaf", "int", false)], positions: ["leaf"] },
    {
      name: "a self-signed server certificate counts as a root (names alone decide)",
      certs: [cert("host", "host", false)],
      positions: ["root"],
    },
    {
      name: "two unrelated leaves",
      certs: [cert("a", "ca1", false), cert("b", "ca2", false)],
      positions: ["leaf", "leaf"],
    },
    { name: "empty", certs: [], positions: [] },
  ])("$name", ({ certs, positions }) => {
    const result = assignChainPositions(certs);
    expect(result.map((c) => c.chainPosition)).toEqual(positions);
    expect(result.map(({ chainPosition: _, ...rest }) => rest)).toEqual(certs);
  });
});
