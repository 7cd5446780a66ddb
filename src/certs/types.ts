// The certificate data model shared by the parser, the poll cycle and the metrics. Plain,
// immutable data: no classes, no Dates (times are Unix seconds), nothing secret.

export type ChainPosition = "leaf" | "intermediate" | "root";

/** One X.509 certificate as the exporter reports it. */
export interface ParsedCertificate {
  /** Position in the bundle's chain, decided from the certificates themselves (see chain.ts). */
  readonly chainPosition: ChainPosition;
  /** Subject and issuer distinguished names, RFC 4514 style (e.g. `CN=example.com, O=Acme`). */
  readonly subject: string;
  readonly issuer: string;
  /** First common name of subject / issuer, `""` when there is none. */
  readonly subjectCn: string;
  readonly issuerCn: string;
  /** Serial number in upper-case hex exactly as `openssl x509 -noout -serial` prints it. */
  readonly serialNumber: string;
  /** Validity bounds in Unix seconds (UTC). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** SHA-256 of the DER encoding, lower-case hex without separators (as blackbox_exporter). */
  readonly fingerprintSha256: string;
  /** Subject alternative names, `DNS:a,IP:1.2.3.4,…`, bounded in length (see MAX_SANS_LENGTH). */
  readonly sans: string;
  /** e.g. `RSA-2048`, `EC-P-256`, `Ed25519`. */
  readonly keyAlgorithm: string;
  /** basicConstraints cA flag. */
  readonly isCa: boolean;
  /** Subject and issuer names are equal. */
  readonly selfSigned: boolean;
}

export type BundleIssueKind =
  /** Text that looks like PEM but a block does not decode, or no block at all. */
  | "bad_pem"
  /** Bytes that decode but are not a parseable X.509 certificate. */
  | "bad_certificate"
  /** An archive that cannot be read, or exceeds the extraction limits. */
  | "bad_archive";

export interface BundleIssue {
  readonly kind: BundleIssueKind;
  /** Constant-ish human text; never contains key material or input bytes. */
  readonly detail: string;
}

export interface ParsedBundle {
  /** Unique certificates (by fingerprint), in bundle order. */
  readonly certificates: readonly ParsedCertificate[];
  /** Everything that could not be parsed. Non-empty issues with certificates = partly broken. */
  readonly issues: readonly BundleIssue[];
}
