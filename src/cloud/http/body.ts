// Reading an HTTP answer's body under a byte cap, for API answers and CA downloads alike. The
// body is decompressed as its Content-Encoding says (a server may compress even unasked; unknown
// codings pass through as they are) and the cap counts decompressed bytes, so a small gzip bomb
// cannot inflate past it.

import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** The body passed the cap; `received` counts the bytes read, the crossing chunk included. */
export class BodyTooLarge extends Error {
  readonly received: number;
  constructor(received: number) {
    super("too large");
    this.name = "BodyTooLarge";
    this.received = received;
  }
}

/** The codings a reader here can undo, in the form of an Accept-Encoding header. */
export const ACCEPTED_ENCODINGS = "gzip, deflate, br";

/** A header's first value (undici hands repeated headers over as arrays). */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A Content-Length header's value; undefined when absent or not a byte count. */
export function contentLength(header: string | string[] | undefined): number | undefined {
  const value = single(header)?.trim();
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads a whole body, decompressed, and throws BodyTooLarge as soon as it passes `maxBytes`.
 * `expectedBytes` (a plain body's Content-Length) lets it copy each chunk into one buffer as it
 * arrives instead of holding the chunks and joining them at the end: one copy of a 2 MB ELB page
 * instead of two, and chunks that die young.
 */
export async function readCapped(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  expectedBytes?: number,
): Promise<Buffer> {
  const decoder = decoderFor(contentEncoding);
  const source = decoder === null ? body : pipeline(body, decoder, () => undefined);
  let whole =
    decoder === null && expectedBytes !== undefined && expectedBytes <= maxBytes
      ? Buffer.allocUnsafe(expectedBytes)
      : null;
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const end = received + chunk.length;
      if (end > maxBytes) {
        received = end;
        throw new BodyTooLarge(received);
      }
      if (whole !== null && end <= whole.length) {
        chunk.copy(whole, received);
      } else {
        // Longer than announced: hold the chunks after all.
        if (whole !== null) chunks.push(whole.subarray(0, received));
        whole = null;
        chunks.push(chunk);
      }
      received = end;
    }
  } finally {
    // Leaving the loop early (cap, abort) must not leave the body half read.
    if (received > maxBytes) body.destroy();
  }
  if (whole !== null) return received === whole.length ? whole : whole.subarray(0, received);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
}

function decoderFor(contentEncoding: string | undefined): NodeJS.ReadWriteStream | null {
  switch (contentEncoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}
