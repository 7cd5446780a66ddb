// What /metrics serves: the live registry (counters, process metrics; small) rendered on each
// scrape, followed by the polled series, rendered and gzipped once per poll. Values only change
// when a poll finishes, so that work belongs there, not in every scrape. The two parts hold
// disjoint metric families. A gzip answer is gzip members back to back (RFC 1952 allows it;
// Go's and Node's readers accept it): one per polled family, kept for as long as the renderer
// hands back the same family, so a steady-state poll compresses only what changed.
// Never throws: a failing live collector is logged and its part left out.

import { once } from "node:events";
import { promisify } from "node:util";
import { createGzip, gzip as gzipCallback } from "node:zlib";
import type { Logger } from "../log/logger.js";
import type { LiveMetrics } from "./live-metrics.js";
import type { RenderedFamily, RenderedMetrics } from "./snapshot-renderer.js";

const gzip = promisify(gzipCallback);

export interface ExpositionBody {
  /** Written in order; together they are the whole body. */
  readonly chunks: readonly Buffer[];
  readonly contentEncoding: "gzip" | null;
}

interface PublishedPart {
  readonly plain: readonly Buffer[];
  readonly gzipped: readonly Buffer[];
}

export class MetricsExposition {
  readonly #live: LiveMetrics;
  readonly #logger: Logger;
  #polled: PublishedPart;
  /** Each polled family's gzip member, for as long as the renderer keeps the family. */
  readonly #members = new WeakMap<RenderedFamily, Buffer>();

  private constructor(live: LiveMetrics, polled: PublishedPart, logger: Logger) {
    this.#live = live;
    this.#polled = polled;
    this.#logger = logger;
  }

  static async create(
    live: LiveMetrics,
    initial: RenderedMetrics,
    logger: Logger,
  ): Promise<MetricsExposition> {
    const exposition = new MetricsExposition(live, { plain: [], gzipped: [] }, logger);
    await exposition.publish(initial);
    return exposition;
  }

  get contentType(): string {
    return this.#live.registry.contentType;
  }

  /** Replaces the polled part; called once per completed poll. */
  async publish(rendered: RenderedMetrics): Promise<void> {
    const gzipped = await Promise.all(
      rendered.families.map(async (family) => {
        let member = this.#members.get(family);
        if (member === undefined) {
          member = await gzipChunks(family.chunks);
          this.#members.set(family, member);
        }
        return member;
      }),
    );
    // The chunks stay as written (about 64 KiB each): joining them would allocate the whole
    // text again every poll.
    this.#polled = { plain: rendered.families.flatMap((family) => family.chunks), gzipped };
  }

  async render(options: { gzip: boolean }): Promise<ExpositionBody> {
    let live = "";
    try {
      live = await this.#live.registry.metrics();
    } catch (error) {
      this.#logger.error({ err: error }, "rendering live metrics failed");
    }
    const polled = this.#polled;
    // prom-client ends its text with one newline; a blank line separates the next family.
    const separator = live === "" ? "" : "\n";
    if (!options.gzip) {
      return {
        chunks: [Buffer.from(live + separator, "utf8"), ...polled.plain],
        contentEncoding: null,
      };
    }
    return {
      chunks: [await gzip(live + separator), ...polled.gzipped],
      contentEncoding: "gzip",
    };
  }
}

/** One gzip member of all chunks, streamed so the text is never joined into one buffer. */
async function gzipChunks(chunks: readonly Buffer[]): Promise<Buffer> {
  const stream = createGzip();
  const output: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => output.push(chunk));
  const ended = once(stream, "end");
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return Buffer.concat(output);
}
