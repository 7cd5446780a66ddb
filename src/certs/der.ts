// A minimal, bounds-checked DER reader for the few fields @peculiar/x509 does not expose as raw
// bytes (serial INTEGER content, validity times, SubjectPublicKeyInfo, extensions). Every function
// returns `undefined` on malformed input instead of throwing; it does not decode generic ASN.1.

export const DerTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

/** One tag-length-value element: `start`/`end` delimit its contents inside the source bytes. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly offset: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset one past the last content byte (also the end of the whole element). */
  readonly end: number;
}

/** Reads the element at `offset`, which must lie entirely before `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | undefined {
  const tag = bytes[offset];
  // High-tag-number form (0x1f) never occurs in the structures we read.
  if (tag === undefined || (tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[offset + 1];
  if (first === undefined) return undefined;
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length (not DER); more than 4 length bytes cannot fit our limits.
    if (count === 0 || count > 4) return undefined;
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const b = bytes[start + i];
      if (b === undefined) return undefined;
      length = length * 256 + b;
    }
    start += count;
  }
  const end = start + length;
  if (end > limit) return undefined;
  return { tag, offset, start, end };
}

/** The direct children of a constructed element, or `undefined` if they do not tile it exactly. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const children: Tlv[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    if (child === undefined) return undefined;
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function contentOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** Dotted-decimal OID, or `undefined` for an encoding that is not a valid OID. */
export function decodeOid(content: Uint8Array): string | undefined {
  if (content.length === 0) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i += 1) {
    const b = content[i] ?? 0;
    // A leading 0x80 is a non-minimal encoding; huge arcs would lose precision as numbers.
    if (value === 0 && b === 0x80) return undefined;
    if (value > 2 ** 45) return undefined;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === content.length - 1) {
      return undefined;
    }
  }
  return arcs.join(".");
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}
