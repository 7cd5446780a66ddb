// Finds the DER certificates inside whatever bytes a source hands us, deciding the format by
// content (ZIP, PEM text, raw DER), never by file name. Work is bounded by ExtractLimits and
// every problem is returned as an issue. It does not parse certificates (see parse-der.ts).
import { readChildren, readTlv, DerTag, type Tlv } from "./der.js";
import { readPemCertificates } from "./pem.js";
import type { BundleIssue, BundleIssueKind } from "./types.js";
import { isZipArchive, readZipArchive } from "./zip.js";

export interface ExtractLimits {
  /** Larger inputs (bytes, or UTF-16 units for strings) are rejected unread. */
  readonly maxInputBytes: number;
  /** Certificates (PEM blocks or DER elements) taken from one input, archive entries included. */
  readonly maxCertificates: number;
  readonly maxArchiveEntries: number;
  readonly maxArchiveTotalBytes: number;
  readonly maxArchiveEntryBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = Object.freeze({
  maxInputBytes: 4 * MiB,
  maxCertificates: 1000,
  maxArchiveEntries: 100,
  maxArchiveTotalBytes: 4 * MiB,
  maxArchiveEntryBytes: 1 * MiB,
});

export interface ExtractedCertificates {
  /** Each DER is its own copy, in input order; not yet parsed or deduplicated. */
  readonly ders: Uint8Array[];
  readonly issues: BundleIssue[];
}

interface Sink {
  readonly limits: ExtractLimits;
  readonly ders: Uint8Array[];
  readonly issues: BundleIssue[];
  full: boolean;
}

const latin1 = new TextDecoder("latin1");

export function extractDerCertificates(
  input: Uint8Array | string,
  limits: Partial<ExtractLimits> = {},
): ExtractedCertificates {
  const sink: Sink = {
    limits: { ...DEFAULT_EXTRACT_LIMITS, ...limits },
    ders: [],
    issues: [],
    full: false,
  };
  const tooLarge = `input exceeds ${sink.limits.maxInputBytes} bytes; not parsed`;
  if (typeof input === "string") {
    if (input.length > sink.limits.maxInputBytes) addIssue(sink, "bad_pem", tooLarge);
    else addPem(sink, input);
  } else if (input.length > sink.limits.maxInputBytes) {
    addIssue(sink, guessKind(input), tooLarge);
  } else if (isZipArchive(input)) {
    addArchive(sink, input);
  } else {
    addBytes(sink, input, true);
  }
  return { ders: sink.ders, issues: sink.issues };
}

function addArchive(sink: Sink, bytes: Uint8Array): void {
  const archive = readZipArchive(bytes, {
    maxEntries: sink.limits.maxArchiveEntries,
    maxTotalBytes: sink.limits.maxArchiveTotalBytes,
    maxEntryBytes: sink.limits.maxArchiveEntryBytes,
  });
  sink.issues.push(...archive.issues);
  for (const entry of archive.entries) {
    if (sink.full) return;
    // One level only: an archive inside an archive is reported, not opened.
    if (isZipArchive(entry.data)) {
      addIssue(sink, "bad_archive", `ZIP entry ${entry.index} is a nested archive; not extracted`);
    } else {
      addBytes(sink, entry.data, false);
    }
  }
}

/**
 * `strict` is for top-level input, where a DER element that is not a certificate deserves an
 * issue. Archive entries are lenient: keys, PKCS#12 files and READMEs sit next to certificates
 * in real downloads and are skipped silently.
 */
function addBytes(sink: Sink, bytes: Uint8Array, strict: boolean): void {
  const elements = splitDerElements(bytes, sink.limits.maxCertificates + 1);
  if (elements !== undefined) {
    for (const tlv of elements) {
      if (strict || looksLikeCertificate(bytes, tlv)) {
        addDer(sink, bytes.slice(tlv.offset, tlv.end), "bad_certificate");
      }
    }
    return;
  }
  const text = decodeText(bytes);
  if (text.includes("-----BEGIN ")) addPem(sink, text);
  // Leading SEQUENCE but not well-formed DER: let the parser name the problem.
  else if (strict && bytes[0] === DerTag.sequence) addDer(sink, bytes.slice(), "bad_certificate");
}

function addPem(sink: Sink, text: string): void {
  const remaining = sink.limits.maxCertificates - sink.ders.length;
  const pem = readPemCertificates(text, Math.max(0, remaining));
  sink.issues.push(...pem.issues);
  for (const der of pem.ders) addDer(sink, der, "bad_pem");
  if (pem.overflow) reportOverflow(sink, "bad_pem");
}

/** Adds a certificate unless the budget is spent; then records one issue for the rest. */
function addDer(sink: Sink, der: Uint8Array, kind: BundleIssueKind): void {
  if (sink.ders.length < sink.limits.maxCertificates) sink.ders.push(der);
  else reportOverflow(sink, kind);
}

function reportOverflow(sink: Sink, kind: BundleIssueKind): void {
  if (sink.full) return;
  sink.full = true;
  const max = sink.limits.maxCertificates;
  addIssue(sink, kind, `more than ${max} certificates; the rest were ignored`);
}

function addIssue(sink: Sink, kind: BundleIssueKind, detail: string): void {
  sink.issues.push({ kind, detail });
}

/**
 * The top-level elements when `bytes` is exactly one or more concatenated DER SEQUENCEs, else
 * undefined. Requiring an exact tiling keeps PEM text that happens to start with "0" out.
 */
function splitDerElements(bytes: Uint8Array, keep: number): Tlv[] | undefined {
  const elements: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tlv = readTlv(bytes, offset);
    if (tlv?.tag !== DerTag.sequence) return undefined;
    if (elements.length < keep) elements.push(tlv);
    offset = tlv.end;
  }
  return elements.length > 0 ? elements : undefined;
}

/** A Certificate is a SEQUENCE whose first element (tbsCertificate) is itself a SEQUENCE. */
function looksLikeCertificate(bytes: Uint8Array, tlv: Tlv): boolean {
  const first = readTlv(bytes, tlv.start, tlv.end);
  return first?.tag === DerTag.sequence && readChildren(bytes, tlv) !== undefined;
}

/** PEM files are ASCII, but Windows tools write UTF-16 with a byte order mark. */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return latin1.decode(bytes);
}

function guessKind(bytes: Uint8Array): BundleIssueKind {
  if (isZipArchive(bytes)) return "bad_archive";
  return bytes[0] === DerTag.sequence ? "bad_certificate" : "bad_pem";
}
