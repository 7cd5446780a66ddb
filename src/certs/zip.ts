// Reads the entries of an in-memory ZIP archive within hard limits, so a hostile archive (zip bomb,
// lying sizes, endless entry list) costs bounded memory and CPU. Entry sizes are checked against
// the central directory BEFORE inflating, and inflation stops as soon as an entry produces more
// than it declared. fflate's unzipSync cannot do the latter (it decodes the whole stream even when
// the declared size is smaller), hence this reader. No ZIP64, encryption or multi-part archives.
import { Inflate } from "fflate";
import type { BundleIssue } from "./types.js";

export interface ArchiveLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  readonly maxEntryBytes: number;
}

export interface ArchiveEntry {
  /** 1-based position in the central directory; used in issues instead of the (untrusted) name. */
  readonly index: number;
  readonly data: Uint8Array;
}

export interface ArchiveContents {
  readonly entries: ArchiveEntry[];
  readonly issues: BundleIssue[];
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
/**
 * Compressed bytes pushed per step. DEFLATE expands at most ~1032×, so one step overshoots the
 * declared size by at most ~4 MiB before we stop; smaller steps cost time in per-push overhead.
 */
const INFLATE_STEP = 4096;

export function isZipArchive(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function readZipArchive(bytes: Uint8Array, limits: ArchiveLimits): ArchiveContents {
  const entries: ArchiveEntry[] = [];
  const issues: BundleIssue[] = [];
  const fail = (detail: string): ArchiveContents => {
    issues.push({ kind: "bad_archive", detail });
    return { entries, issues };
  };

  const directory = readDirectoryEnd(bytes, limits);
  if (typeof directory === "string") return fail(directory);
  let total = 0;
  let offset = directory.offset;
  for (let index = 1; index <= directory.count; index += 1) {
    const record = readCentralRecord(bytes, offset);
    if (record === null) return fail("ZIP central directory is corrupt");
    offset = record.next;
    if (record.isDirectory) continue;
    const refusal = refuseEntry(record, index, limits);
    if (refusal !== null) {
      issues.push({ kind: "bad_archive", detail: refusal });
      continue;
    }
    if (total + record.size > limits.maxTotalBytes) {
      return fail(
        `ZIP archive exceeds ${limits.maxTotalBytes} bytes uncompressed; later entries skipped`,
      );
    }
    if (record.method !== 0 && record.method !== 8) {
      issues.push({
        kind: "bad_archive",
        detail: `ZIP entry ${index} uses unsupported compression method ${record.method}`,
      });
      continue;
    }
    total += record.size;
    const data = readEntryData(bytes, record);
    if (data instanceof Uint8Array) entries.push({ index, data });
    else issues.push({ kind: "bad_archive", detail: `ZIP entry ${index} ${ENTRY_FAILURES[data]}` });
  }
  return { entries, issues };
}

/** The central directory's entry count and offset, or why the archive cannot be read at all. */
function readDirectoryEnd(
  bytes: Uint8Array,
  limits: ArchiveLimits,
): { readonly count: number; readonly offset: number } | string {
  const end = findEndOfCentralDirectory(bytes);
  if (end === undefined) return "ZIP archive has no end of central directory record";
  if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0) {
    return "multi-part ZIP archives are not supported";
  }
  const count = u16(bytes, end + 10);
  const cdSize = u32(bytes, end + 12);
  const cdOffset = u32(bytes, end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return "ZIP64 archives are not supported";
  if (count > limits.maxEntries) return `ZIP archive has more than ${limits.maxEntries} entries`;
  if (count < 0 || cdSize < 0 || cdOffset < 0 || cdOffset + cdSize > end) {
    return "ZIP central directory is out of bounds";
  }
  return { count, offset: cdOffset };
}

interface CentralRecord {
  readonly flags: number;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly isDirectory: boolean;
  /** Offset of the next record. */
  readonly next: number;
}

/** One central directory record; null when it is not one. */
function readCentralRecord(bytes: Uint8Array, offset: number): CentralRecord | null {
  if (u32(bytes, offset) !== SIG_CENTRAL) return null;
  const nameLength = u16(bytes, offset + 28);
  const extraLength = u16(bytes, offset + 30);
  const commentLength = u16(bytes, offset + 32);
  const localOffset = u32(bytes, offset + 42);
  // The local header offset is the record's last fixed field: in bounds means all are.
  if (localOffset < 0) return null;
  return {
    flags: u16(bytes, offset + 8),
    method: u16(bytes, offset + 10),
    compressedSize: u32(bytes, offset + 20),
    size: u32(bytes, offset + 24),
    localOffset,
    isDirectory: bytes[offset + 46 + nameLength - 1] === 0x2f,
    next: offset + 46 + nameLength + extraLength + commentLength,
  };
}

/** Why an entry is skipped before its data is read (encrypted, too large); null: read it. */
function refuseEntry(record: CentralRecord, index: number, limits: ArchiveLimits): string | null {
  if ((record.flags & 1) !== 0) return `ZIP entry ${index} is encrypted`;
  if (record.size > limits.maxEntryBytes) {
    return `ZIP entry ${index} exceeds ${limits.maxEntryBytes} bytes uncompressed`;
  }
  return null;
}

const ENTRY_FAILURES = {
  overflow: "inflates beyond its declared size",
  corrupt: "is truncated or corrupt",
} as const;

/** An entry's bytes through its local header, inflated within its declared size. */
function readEntryData(
  bytes: Uint8Array,
  record: CentralRecord,
): Uint8Array | keyof typeof ENTRY_FAILURES {
  const { localOffset, compressedSize, size } = record;
  const localNameLength = u16(bytes, localOffset + 26);
  const localExtraLength = u16(bytes, localOffset + 28);
  const dataStart = localOffset + 30 + localNameLength + localExtraLength;
  if (
    u32(bytes, localOffset) !== SIG_LOCAL ||
    localNameLength < 0 ||
    localExtraLength < 0 ||
    compressedSize < 0 ||
    dataStart + compressedSize > bytes.length
  ) {
    return "corrupt";
  }
  const compressed = bytes.subarray(dataStart, dataStart + compressedSize);
  return record.method === 0 ? storedData(compressed, size) : inflateBounded(compressed, size);
}

/** Offset of the end-of-central-directory record, searched backwards past any comment. */
function findEndOfCentralDirectory(bytes: Uint8Array): number | undefined {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let offset = bytes.length - 22; offset >= lowest; offset -= 1) {
    if (u32(bytes, offset) === SIG_END) return offset;
  }
  return undefined;
}

function storedData(compressed: Uint8Array, size: number): Uint8Array | "corrupt" {
  return compressed.length === size ? Uint8Array.from(compressed) : "corrupt";
}

/** Inflates in small steps and gives up as soon as the output outgrows the declared size. */
function inflateBounded(compressed: Uint8Array, size: number): Uint8Array | "overflow" | "corrupt" {
  const out = new Uint8Array(size);
  // `produced` counts every inflated byte, kept or not, so it alone tells whether we overflowed.
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    if (produced + chunk.length <= size) out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    for (let at = 0; at < compressed.length && produced <= size; at += INFLATE_STEP) {
      const stop = Math.min(at + INFLATE_STEP, compressed.length);
      inflater.push(compressed.subarray(at, stop), stop === compressed.length);
    }
  } catch {
    return "corrupt";
  }
  if (produced > size) return "overflow";
  return produced === size ? out : "corrupt";
}

/** Little-endian reads; -1 when out of bounds so callers fail their checks instead of throwing. */
function u16(bytes: Uint8Array, offset: number): number {
  const a = bytes[offset];
  const b = bytes[offset + 1];
  return a === undefined || b === undefined || offset < 0 ? -1 : a | (b << 8);
}

function u32(bytes: Uint8Array, offset: number): number {
  const lo = u16(bytes, offset);
  const hi = u16(bytes, offset + 2);
  return lo < 0 || hi < 0 ? -1 : lo + hi * 0x10000;
}
