// The certs/ entry point: bundle bytes or text → unique parsed certificates (by SHA-256
// fingerprint, in bundle order, with chain positions) plus the issues met on the way. Pure and
// total: no I/O, no clock, never throws. Expiry judgements belong to callers, who own `now`.
import { assignChainPositions } from "./chain.js";
import { extractDerCertificates, type ExtractLimits } from "./extract.js";
import { parseDerCertificate, type CertificateFields, type DerParseResult } from "./parse-der.js";
import type { BundleIssue, ParsedBundle } from "./types.js";

/**
 * `parseDer` may be replaced by a memoising wrapper (the poller caches certificates by the
 * SHA-256 of their DER, so a chain shared by many bundles is parsed once); it must behave
 * exactly like parseDerCertificate.
 */
export function parseCertificateBundle(
  input: Uint8Array | string,
  limits: Partial<ExtractLimits> = {},
  parseDer: (der: Uint8Array) => DerParseResult = parseDerCertificate,
): ParsedBundle {
  const extracted = extractDerCertificates(input, limits);
  const issues: BundleIssue[] = [...extracted.issues];
  const unique = new Map<string, CertificateFields>();
  for (const der of extracted.ders) {
    const result = parseDer(der);
    if (!result.ok) issues.push(result.issue);
    else if (!unique.has(result.certificate.fingerprintSha256)) {
      unique.set(result.certificate.fingerprintSha256, result.certificate);
    }
  }
  if (unique.size === 0 && issues.length === 0) {
    issues.push({ kind: "bad_pem", detail: "no certificate found" });
  }
  return { certificates: assignChainPositions([...unique.values()]), issues };
}
