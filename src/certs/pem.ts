// Finds certificate blocks in PEM text and decodes them strictly. Tolerates what real inputs
// contain (bodies on one line as the ELB API returns them, CRLF, indentation, text between
// blocks); skips other block types, such as private keys, without copying them anywhere.
import { readTlv } from "./der.js";
import type { BundleIssue } from "./types.js";

/** Block labels that hold an X.509 certificate (OpenSSL writes all three). */
export const PEM_CERTIFICATE_LABELS = [
  "CERTIFICATE",
  "X509 CERTIFICATE",
  "TRUSTED CERTIFICATE",
] as const;

export interface PemCertificates {
  readonly ders: Uint8Array[];
  readonly issues: BundleIssue[];
  /** More certificate blocks followed than `maxBlocks` allowed; they were not decoded. */
  readonly overflow: boolean;
}

const BEGIN = "-----BEGIN ";
const DASHES = "-----";
/** Longest label we accept; real ones are short, and this bounds the search for the closing dashes. */
const MAX_LABEL_LENGTH = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const certificateLabels: ReadonlySet<string> = new Set(PEM_CERTIFICATE_LABELS);

export function readPemCertificates(text: string, maxBlocks: number): PemCertificates {
  const ders: Uint8Array[] = [];
  const issues: BundleIssue[] = [];
  let block = 0;
  let position = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, position);
    if (begin < 0) break;
    const labelStart = begin + BEGIN.length;
    const labelLength = text
      .slice(labelStart, labelStart + MAX_LABEL_LENGTH + DASHES.length)
      .indexOf(DASHES);
    if (labelLength < 0) {
      position = labelStart;
      continue;
    }
    const label = text.slice(labelStart, labelStart + labelLength);
    const isCertificate = certificateLabels.has(label);
    const bodyStart = labelStart + labelLength + DASHES.length;
    // Base64 never contains dashes, so the next run of dashes must be this block's END line;
    // anything else (typically the next BEGIN) means this block was cut short.
    const bodyEnd = text.indexOf(DASHES, bodyStart);
    const endLine = `-----END ${label}-----`;
    if (isCertificate) block += 1;
    if (isCertificate && block > maxBlocks) return { ders, issues, overflow: true };
    if (bodyEnd < 0 || !text.startsWith(endLine, bodyEnd)) {
      if (isCertificate) {
        issues.push({ kind: "bad_pem", detail: `PEM certificate block ${block} has no END line` });
      }
      position = bodyEnd < 0 ? text.length : bodyEnd;
      continue;
    }
    position = bodyEnd + endLine.length;
    if (!isCertificate) continue;
    const der = decodeBase64(text.slice(bodyStart, bodyEnd));
    if (der === undefined) {
      issues.push({
        kind: "bad_pem",
        detail: `PEM certificate block ${block} is not valid base64`,
      });
      continue;
    }
    ders.push(label === "TRUSTED CERTIFICATE" ? firstElement(der) : der);
  }
  return { ders, issues, overflow: false };
}

/** Strict base64: only whitespace may be dropped; any other stray character rejects the block. */
function decodeBase64(body: string): Uint8Array | undefined {
  const compact = body.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  // Copy out of Buffer's shared pool so each DER owns exactly its bytes.
  return new Uint8Array(Buffer.from(compact, "base64"));
}

/** OpenSSL's TRUSTED CERTIFICATE is the certificate followed by its trust settings. */
function firstElement(der: Uint8Array): Uint8Array {
  const tlv = readTlv(der, 0);
  return tlv === undefined ? der : der.slice(0, tlv.end);
}
