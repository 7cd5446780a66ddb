// Turns snapshots into exposition text, keeping what did not change since the last poll. Each
// family is a header and one part per source; a part is written again only when what it reads
// changed. At 10,000 certificates nearly all text (~30 MB) belongs to parts whose resources a
// steady-state poll hands back unchanged, so a poll rewrites only the volatile families (source
// status, GeminiDB download timings) instead of the whole text.
//
// Two checks decide, cheapest first:
// - the part's inputs (source key, resource map, listener bindings, enterprise project names,
//   and what the family reads of other sources, e.g. the ELB and GeminiDB resources that decide
//   whether a CCM certificate is in use) are the same objects as last time: the pollers hand
//   back the previous map when nothing in it changed, so the part is reused without writing;
// - otherwise the part is written, and when its bytes equal the last ones the last buffers are
//   kept. Families whose parts are all kept are the same RenderedFamily object as last time, so
//   the exposition reuses their gzip member too.

import type { SourceSnapshot, Snapshot } from "../poll/snapshot.js";
import { SOURCES } from "../sources/index.js";
import { ccmCertificateUsers } from "../status/severity.js";
import {
  Family,
  familyDefinitions,
  type FamilyDefinition,
  type RenderContext,
  type RenderOptions,
} from "./snapshot-metrics.js";
import { familyHeader, TextWriter } from "./text-writer.js";

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
  readonly chunks: readonly Buffer[];
}

interface FamilyEntry {
  readonly parts: readonly (readonly Buffer[])[];
  readonly rendered: RenderedFamily;
}

export class SnapshotRenderer {
  readonly #definitions: readonly FamilyDefinition[];
  /** By family index and source key: the parts of the last render. */
  #parts = new Map<string, Part>();
  #families: (FamilyEntry | undefined)[] = [];

  constructor(options: RenderOptions = {}) {
    this.#definitions = familyDefinitions(options);
  }

  render(snapshot: Snapshot): RenderedMetrics {
    const parts = new Map<string, Part>();
    const context = snapshotContext(snapshot);
    const families = this.#definitions.map((definition, index): RenderedFamily => {
      const chunkLists = snapshot.sources.map((source) => {
        const key = `${String(index)}\u0000${sourceKey(source)}`;
        const part = this.#part(definition, source, snapshot, context, this.#parts.get(key));
        parts.set(key, part);
        return part.chunks;
      });
      const last = this.#families[index];
      if (
        last !== undefined &&
        last.parts.length === chunkLists.length &&
        last.parts.every((chunks, i) => chunks === chunkLists[i])
      ) {
        return last.rendered;
      }
      const header = familyHeader(definition.spec.name, definition.spec.help);
      const rendered = {
        chunks: [Buffer.from(index === 0 ? header : `\n${header}`, "utf8"), ...chunkLists.flat()],
      };
      this.#families[index] = { parts: chunkLists, rendered };
      return rendered;
    });
    // Parts of sources that are gone are forgotten with this swap.
    this.#parts = parts;
    return { families };
  }

  #part(
    definition: FamilyDefinition,
    source: SourceSnapshot,
    snapshot: Snapshot,
    context: RenderContext,
    last: Part | undefined,
  ): Part {
    const inputs =
      definition.volatile === true
        ? null
        : [...partInputs(source), ...(definition.otherInputs?.(source, snapshot.sources) ?? [])];
    if (last?.inputs != null && inputs !== null && sameItems(last.inputs, inputs)) return last;
    const writer = new TextWriter();
    const family = new Family(definition.spec, writer);
    definition.fill(source, family, context);
    family.endResource();
    const chunks = writer.finish();
    if (last !== undefined && sameBytes(last.chunks, chunks))
      return { inputs, chunks: last.chunks };
    return { inputs, chunks };
  }
}

/** The previous behaviour in one call: renders a snapshot with nothing to reuse. */
export function renderSnapshotMetrics(
  snapshot: Snapshot,
  options: RenderOptions = {},
): RenderedMetrics {
  return new SnapshotRenderer(options).render(snapshot);
}

/** What families read of the whole snapshot, worked out only if a part that needs it is written. */
function snapshotContext(snapshot: Snapshot): RenderContext {
  let ccmUsers: RenderContext["ccmUsers"] | undefined;
  return {
    get ccmUsers() {
      ccmUsers ??= ccmCertificateUsers(SOURCES, snapshot.sources);
      return ccmUsers;
    },
  };
}

function sourceKey(source: SourceSnapshot): string {
  return `${source.source}\u0000${source.region}\u0000${source.projectId}`;
}

/** Everything a non-volatile family reads from a source (see FamilyDefinition.volatile). */
function partInputs(source: SourceSnapshot): readonly unknown[] {
  const resources = source.source === "geminidb" ? source.instances : source.certificates;
  const bindings = source.source === "elb" ? source.listenerBindings : undefined;
  return [sourceKey(source), resources, bindings, source.enterpriseProjectNames];
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameBytes(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((chunk, i) => chunk.equals(b[i] as Buffer));
}
