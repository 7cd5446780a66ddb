// A metric family's spec (name, HELP, label names as a literal tuple) and the typed writer of its
// samples: a sample's labels are a record whose keys the compiler checks against the spec, written
// in the spec's label order. Decides neither which families exist nor their order.

import type { TextWriter } from "./text-writer.js";

export interface FamilySpec<L extends readonly string[] = readonly string[]> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: L;
}

/** A sample's labels: every label name of the spec, and no other, as a key. */
export type LabelRecord<L extends readonly string[]> = { readonly [K in L[number]]: string };

/**
 * Writes one family's samples. Within a resource (between two `endResource` calls) samples are
 * collected and deduplicated by label values; at its end they are written in order. A repeated
 * label set keeps its first position and its last value, as prom-client's Gauge.set would.
 */
export class Family<L extends readonly string[]> {
  readonly #spec: FamilySpec<L>;
  readonly #writer: TextWriter;
  #resource = new Map<string, { values: readonly string[]; value: number }>();

  constructor(spec: FamilySpec<L>, writer: TextWriter) {
    this.#spec = spec;
    this.#writer = writer;
  }

  set(labels: LabelRecord<L>, value: number): void {
    // The record becomes values in the spec's order once, here; nothing sorts keys per sample.
    const values: string[] = [];
    for (const name of this.#spec.labelNames as readonly L[number][]) values.push(labels[name]);
    const key = values.join("\u0000");
    const existing = this.#resource.get(key);
    if (existing) existing.value = value;
    else this.#resource.set(key, { values, value });
  }

  endResource(): void {
    for (const { values, value } of this.#resource.values()) {
      this.#writer.sample(this.#spec.name, this.#spec.labelNames, values, value);
    }
    if (this.#resource.size > 0) this.#resource = new Map();
  }
}

/** Fills a fresh Family of `spec` and writes what is left of its last resource. */
export function writeFamily<L extends readonly string[]>(
  spec: FamilySpec<L>,
  writer: TextWriter,
  fill: (family: Family<L>) => void,
): void {
  const family = new Family(spec, writer);
  fill(family);
  family.endResource();
}

/** One of a source's own families, ready to write a snapshot's samples (its label type erased). */
export interface SourceFamily<S> {
  readonly spec: FamilySpec;
  /**
   * Its samples change with every poll (e.g. download timings), so it is written afresh each
   * time; any other family's part depends only on what the source's `renderInputs` list.
   */
  readonly volatile: boolean;
  write(snapshot: S, writer: TextWriter): void;
}

/** A source's own family: `fill` writes the samples of one snapshot of that source. */
export function defineFamily<S, const L extends readonly string[]>(
  spec: FamilySpec<L>,
  fill: (snapshot: S, family: Family<L>) => void,
  options: { readonly volatile?: boolean } = {},
): SourceFamily<S> {
  return {
    spec,
    volatile: options.volatile ?? false,
    write: (snapshot, writer) => {
      writeFamily(spec, writer, (family) => {
        fill(snapshot, family);
      });
    },
  };
}

/**
 * A source's own families, around the shared ones in the exposition (see polled-families.ts):
 * `leading` before the shared resource families, `trailing` after them, source by source.
 */
export interface SourceFamilies<S> {
  readonly leading: readonly SourceFamily<S>[];
  readonly trailing: readonly SourceFamily<S>[];
}
