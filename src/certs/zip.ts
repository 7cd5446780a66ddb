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

  const end = findEndOfCentralDirectory(bytes);
  if (end === undefined) return fail("ZIP archive has no end of central directory record");
  if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0) {
    return fail("multi-part ZIP archives are not supported");
  }
  const count = u16(bytes, end + 10);
  const cdSize = u32(bytes, end + 12);
  const cdOffset = u32(bytes, end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return fail("ZIP64 archives are not supported");
  if (count > limits.maxEntries) {
    return fail(`ZIP archive has more than ${limits.maxEntries} entries`);
  }
  if (count < 0 || cdSize < 0 || cdOffset < 0 || cdOffset + cdSize > end) {
    return fail("ZIP central directory is out of bounds");
  }

  let total = 0;
  let offset = cdOffset;
  for (let index = 1; index <= count; index += 1) {
    if (u32(bytes, offset) !== SIG_CENTRAL) return fail("ZIP central directory is corrupt");
    const flags = u16(bytes, offset + 8);
    const method = u16(bytes, offset + 10);
    const compressedSize = u32(bytes, offset + 20);
    const size = u32(bytes, offset + 24);
    const nameLength = u16(bytes, offset + 28);
    const extraLength = u16(bytes, offset + 30);
    const commentLength = u16(bytes, offset + 32);
    const localOffset = u32(bytes, offset + 42);
    // The local header offset is the record's last fixed field: in bounds means all are.
    if (localOffset < 0) {
      return fail("ZIP central directory is corrupt");
    }
    const isDirectory = bytes[offset + 46 + nameLength - 1] === 0x2f;
    offset += 46 + nameLength + extraLength + commentLength;
    if (isDirectory) continue;

    if ((flags & 1) !== 0) {
      issues.push({ kind: "bad_archive", detail: `ZIP entry ${index} is encrypted` });
      continue;
    }
    if (size > limits.maxEntryBytes) {
      issues.push({
        kind: "bad_archive",
        detail: `ZIP entry ${index} exceeds ${limits.maxEntryBytes} bytes uncompressed`,
      });
      continue;
    }
    if (total + size > limits.maxTotalBytes) {
      return fail(
        `ZIP archive exceeds ${limits.maxTotalBytes} bytes uncompressed; later entries skipped`,
      );
    }
    if (method !== 0 && method !== 8) {
      issues.push({
        kind: "bad_archive",
        detail: `ZIP entry ${index} uses unsupported compression method ${method}`,
      });
      continue;
    }
    total += size;

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
      issues.push({ kind: "bad_archive", detail: `ZIP entry ${index} is truncated or corrupt` });
      continue;
    }
    const compressed = bytes.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? storedData(compressed, size) : inflateBounded(compressed, size);
    if (data === "overflow") {
      issues.push({
        kind: "bad_archive",
        detail: `ZIP entry ${index} inflates beyond its declared size`,
      });
    } else if (data === "corrupt") {
      issues.push({ kind: "bad_archive", detail: `ZIP entry ${index} is truncated or corrupt` });
    } else {
      entries.push({ index, data });
    }
  }
  return { entries, issues };
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
