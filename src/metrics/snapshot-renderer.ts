// Turns snapshots into exposition text, keeping what did not change since the last poll. Each
// family is a header and one part per source; a part is written again only when what it reads
// changed. At 10,000 certificates nearly all text (~30 MB) belongs to parts whose resources a
// steady-state poll hands back unchanged, so a poll rewrites only the volatile families (source
// status, GeminiDB download timings) instead of the whole text.
//
// Two checks decide, cheapest first:
// - the part's inputs (source key, enterprise project names, what the source's module lists in
//   `renderInputs`, and every source's inputs when the part read other sources, as whether a
//   certificate is in use may) are the same objects as last time: the pollers hand back the
//   previous map when nothing in it changed, so the part is reused without writing;
// - otherwise the part is written, and when its bytes equal the last ones the last buffers are
//   kept. Families whose parts are all kept are the same RenderedFamily object as last time, so
//   the exposition reuses their gzip member too.

import type { Snapshot, SourceSnapshotBase } from "../poll/snapshot.js";
import { ccmUsersOf, type CcmUser, type UsageContext } from "../status/severity.js";
import { moduleOf } from "../source-names.js";
import type { MetricsResource, MetricsSource } from "./metrics-source.js";
import { polledFamilies } from "./polled-families.js";
import type { PolledFamily, RenderOptions, RenderSource } from "./shared-families.js";
import { familyHeader, TextWriter } from "./text-writer.js";

export type { RenderOptions } from "./shared-families.js";

/** One family's text: its header and samples, in chunks. The same object while unchanged. */
export interface RenderedFamily {
  readonly chunks: readonly Buffer[];
}

export interface RenderedMetrics {
  /** In exposition order. */
  readonly families: readonly RenderedFamily[];
}

/** Every chunk of a render, in order: together they are the text. */
export function renderedChunks(rendered: RenderedMetrics): Buffer[] {
  return rendered.families.flatMap((family) => family.chunks);
}

interface Part {
  /** What the part was written from; null for volatile families (never reused by inputs). */
  readonly inputs: readonly unknown[] | null;
  /** Its writing read other sources (the usage context): their inputs are among `inputs`. */
  readonly readsOthers: boolean;
  readonly chunks: readonly Buffer[];
}

interface FamilyEntry {
  readonly parts: readonly (readonly Buffer[])[];
  readonly rendered: RenderedFamily;
}

/** A source snapshot of one render: its resources are listed at most once, when first needed. */
class SourceOfRender implements RenderSource {
  readonly snapshot: SourceSnapshotBase;
  readonly module: MetricsSource;
  readonly key: string;
  readonly labels: RenderSource["labels"];
  /** What every non-volatile part of this source reads of it (see Part.inputs). */
  readonly inputs: readonly unknown[];
  #resources: readonly MetricsResource[] | undefined;

  constructor(modules: readonly MetricsSource[], snapshot: SourceSnapshotBase) {
    this.snapshot = snapshot;
    this.module = moduleOf(modules, snapshot);
    this.labels = {
      source: snapshot.source,
      region: snapshot.region,
      project_id: snapshot.projectId,
    };
    this.key = `${snapshot.source}\u0000${snapshot.region}\u0000${snapshot.projectId}`;
    this.inputs = [
      this.key,
      snapshot.enterpriseProjectNames,
      ...this.module.renderInputs(snapshot),
    ];
  }

  resources(): readonly MetricsResource[] {
    this.#resources ??= [...this.module.resources(this.snapshot)];
    return this.#resources;
  }
}

/** What a render shares between its parts, each worked out only if a written part needs it. */
class RenderState {
  readonly sources: readonly SourceOfRender[];
  #everyInput: readonly unknown[] | undefined;
  #ccmUsers: ReadonlyMap<string, readonly CcmUser[]> | undefined;

  constructor(sources: readonly SourceOfRender[]) {
    this.sources = sources;
  }

  /** Every source's inputs: what a part that read the usage context depends on. */
  everyInput(): readonly unknown[] {
    this.#everyInput ??= this.sources.flatMap((source) => source.inputs);
    return this.#everyInput;
  }

  ccmUsers(): ReadonlyMap<string, readonly CcmUser[]> {
    this.#ccmUsers ??= ccmUsersOf(
      this.sources.map((source) => ({ snapshot: source.snapshot, resources: source.resources() })),
    );
    return this.#ccmUsers;
  }
}

/**
 * The usage context of writing one part. Whether the part reads other sources is seen as it is
 * written: only a usage rule that consults the CCM certificates' users does (a CCM certificate
 * is in use when another source's resource uses it).
 */
class PartContext implements UsageContext {
  readonly storedCertificates: ReadonlySet<string>;
  readonly #state: RenderState;
  #readsOthers = false;

  constructor(storedCertificates: ReadonlySet<string>, state: RenderState) {
    this.storedCertificates = storedCertificates;
    this.#state = state;
  }

  get ccmUsers(): ReadonlyMap<string, readonly CcmUser[]> {
    this.#readsOthers = true;
    return this.#state.ccmUsers();
  }

  get readsOthers(): boolean {
    return this.#readsOthers;
  }
}

export class SnapshotRenderer {
  readonly #modules: readonly MetricsSource[];
  readonly #families: readonly PolledFamily[];
  readonly #storedCertificates: ReadonlySet<string>;
  /** By family index and source key: the parts of the last render. */
  #parts = new Map<string, Part>();
  #rendered: (FamilyEntry | undefined)[] = [];

  constructor(modules: readonly MetricsSource[], options: RenderOptions = {}) {
    this.#modules = modules;
    this.#families = polledFamilies(modules, options);
    this.#storedCertificates = options.storedCertificates ?? new Set<string>();
  }

  render(snapshot: Snapshot): RenderedMetrics {
    const parts = new Map<string, Part>();
    const state = new RenderState(
      snapshot.sources.map((source) => new SourceOfRender(this.#modules, source)),
    );
    const families = this.#families.map((family, index): RenderedFamily => {
      const chunkLists = state.sources.map((source) => {
        const key = `${String(index)}\u0000${source.key}`;
        const part = this.#part(family, source, state, this.#parts.get(key));
        parts.set(key, part);
        return part.chunks;
      });
      const last = this.#rendered[index];
      if (
        last !== undefined &&
        last.parts.length === chunkLists.length &&
        last.parts.every((chunks, i) => chunks === chunkLists[i])
      ) {
        return last.rendered;
      }
      const header = familyHeader(family.spec.name, family.spec.help);
      const rendered = {
        chunks: [Buffer.from(index === 0 ? header : `\n${header}`, "utf8"), ...chunkLists.flat()],
      };
      this.#rendered[index] = { parts: chunkLists, rendered };
      return rendered;
    });
    // Parts of sources that are gone are forgotten with this swap.
    this.#parts = parts;
    return { families };
  }

  #part(
    family: PolledFamily,
    source: SourceOfRender,
    state: RenderState,
    last: Part | undefined,
  ): Part {
    if (!family.volatile && last?.inputs != null) {
      const inputs = last.readsOthers ? [...source.inputs, ...state.everyInput()] : source.inputs;
      if (sameItems(last.inputs, inputs)) return last;
    }
    const context = new PartContext(this.#storedCertificates, state);
    const writer = new TextWriter();
    family.write(source, writer, context);
    const written = writer.finish();
    const chunks = last !== undefined && sameBytes(last.chunks, written) ? last.chunks : written;
    const { readsOthers } = context;
    if (family.volatile) return { inputs: null, readsOthers, chunks };
    const inputs = readsOthers ? [...source.inputs, ...state.everyInput()] : source.inputs;
    return { inputs, readsOthers, chunks };
  }
}

/** The previous behaviour in one call: renders a snapshot with nothing to reuse. */
export function renderSnapshotMetrics(
  modules: readonly MetricsSource[],
  snapshot: Snapshot,
  options: RenderOptions = {},
): RenderedMetrics {
  return new SnapshotRenderer(modules, options).render(snapshot);
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameBytes(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((chunk, i) => chunk.equals(b[i] as Buffer));
}
