// Decides each certificate's position in its bundle from the certificates alone:
//   root         = self-signed (subject DN equals issuer DN);
//   intermediate = not self-signed, and a CA (basicConstraints cA) or the issuer of another
//                  certificate in the same bundle;
//   leaf         = everything else.
// Names are compared as strings; signatures are not checked and no path is built, because the
// exporter reports expiry, not trust.
import type { CertificateFields } from "./parse-der.js";
import type { ChainPosition, ParsedCertificate } from "./types.js";

export function assignChainPositions(
  certs: readonly CertificateFields[],
): readonly ParsedCertificate[] {
  const issuers = new Set(certs.map((c) => c.issuer));
  return certs.map((cert) => ({ ...cert, chainPosition: chainPositionOf(cert, issuers) }));
}

function chainPositionOf(cert: CertificateFields, issuers: ReadonlySet<string>): ChainPosition {
  if (cert.selfSigned) return "root";
  // A non-self-signed certificate's issuer differs from its subject, so matching its subject
  // against the issuer set can only hit another certificate.
  if (cert.isCa || issuers.has(cert.subject)) return "intermediate";
  return "leaf";
}
