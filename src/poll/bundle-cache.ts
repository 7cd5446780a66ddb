// Remembers parsed certificate bundles between polls, keyed by the SHA-256 of their bytes, so
// a steady-state poll parses nothing. One cache per source (a sweep evicts what that source's
// poll did not use). Entries not seen during a poll are evicted when it ends,
// which keeps memory proportional to what the cloud holds now.

import { createHash } from "node:crypto";
import { parseCertificateBundle } from "../certs/index.js";
import type { ParsedBundle } from "../certs/types.js";

export class BundleCache {
  #entries = new Map<string, ParsedBundle>();
  #seen = new Map<string, ParsedBundle>();

  /** Parses (or recalls) one bundle (PEM text, or bytes of any format) and marks it in use. */
  parse(input: string | Uint8Array): ParsedBundle {
    const key = createHash("sha256").update(input).digest("hex");
    const bundle = this.#seen.get(key) ?? this.#entries.get(key) ?? parseCertificateBundle(input);
    this.#seen.set(key, bundle);
    return bundle;
  }

  /** Ends a poll: forgets bundles the poll did not use. */
  sweep(): void {
    this.#entries = this.#seen;
    this.#seen = new Map();
  }

  /** Ends a failed poll: nothing is evicted, since unseen does not mean gone. */
  keepAll(): void {
    for (const [key, bundle] of this.#seen) this.#entries.set(key, bundle);
    this.#seen = new Map();
  }

  get size(): number {
    return this.#entries.size;
  }
}
