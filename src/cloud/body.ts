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

/** True when a declared Content-Length is already over the cap. */
export function declaredOver(
  contentLength: string | string[] | undefined,
  maxBytes: number,
): boolean {
  return Number(single(contentLength) ?? 0) > maxBytes;
}

/** Reads a whole body, decompressed, and throws BodyTooLarge as soon as it passes `maxBytes`. */
export async function readCapped(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const decoder = decoderFor(contentEncoding);
  const source = decoder === null ? body : pipeline(body, decoder, () => undefined);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw new BodyTooLarge(received);
      chunks.push(chunk);
    }
  } finally {
    // Leaving the loop early (cap, abort) must not leave the body half read.
    if (received > maxBytes) body.destroy();
  }
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
