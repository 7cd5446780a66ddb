// Public surface of certs/: parse certificate bundles into plain data. Everything here is pure
// (no I/O, no clock) and reports bad input as BundleIssue values instead of throwing.
export { assignChainPositions } from "./chain.js";
export {
  DEFAULT_EXTRACT_LIMITS,
  extractDerCertificates,
  type ExtractLimits,
  type ExtractedCertificates,
} from "./extract.js";
export { parseCertificateBundle } from "./parse-bundle.js";
export {
  MAX_SANS_LENGTH,
  formatSerialNumber,
  parseDerCertificate,
  type CertificateFields,
  type DerParseResult,
} from "./parse-der.js";
export { PEM_CERTIFICATE_LABELS } from "./pem.js";
export type {
  BundleIssue,
  BundleIssueKind,
  ChainPosition,
  ParsedBundle,
  ParsedCertificate,
} from "./types.js";
