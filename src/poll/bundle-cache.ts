// Remembers parsed certificate bundles between polls, keyed by the SHA-256 of the PEM text, so
// a steady-state poll parses nothing. Entries not seen during a poll are evicted when it ends,
// which keeps memory proportional to what the cloud holds now.

import { createHash } from "node:crypto";
import { parseCertificateBundle } from "../certs/index.js";
import type { ParsedBundle } from "../certs/types.js";

export class BundleCache {
  #entries = new Map<string, ParsedBundle>();
  #seen = new Map<string, ParsedBundle>();

  /** Parses (or recalls) one bundle and marks it as still in use. */
  parse(pem: string): ParsedBundle {
    const key = createHash("sha256").update(pem).digest("hex");
    const bundle = this.#seen.get(key) ?? this.#entries.get(key) ?? parseCertificateBundle(pem);
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
