// What /metrics serves: the live registry (counters, process metrics; small) rendered on each
// scrape, followed by the polled series, rendered and gzipped once per poll. Values only change
// when a poll finishes, so that work belongs there, not in every scrape. The two parts hold
// disjoint metric families. A gzip answer is gzip members back to back (RFC 1952 allows it;
// Go's and Node's readers accept it), so the large part is never compressed twice.
// Never throws: a failing live collector is logged and its part left out.

import { once } from "node:events";
import { promisify } from "node:util";
import { createGzip, gzip as gzipCallback } from "node:zlib";
import type { Logger } from "../log/logger.js";
import type { LiveMetrics } from "./live-metrics.js";
import type { RenderedMetrics } from "./snapshot-metrics.js";

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
    return new MetricsExposition(live, await prepare(initial), logger);
  }

  get contentType(): string {
    return this.#live.registry.contentType;
  }

  /** Replaces the polled part; called once per completed poll. */
  async publish(rendered: RenderedMetrics): Promise<void> {
    this.#polled = await prepare(rendered);
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

/** Joined once per poll, so a scrape writes two buffers instead of hundreds of chunks. */
async function prepare(rendered: RenderedMetrics): Promise<PublishedPart> {
  const gzipped = await gzipChunks(rendered.chunks);
  return { plain: [Buffer.concat(rendered.chunks)], gzipped: [Buffer.concat(gzipped)] };
}

/** One gzip member of all chunks, streamed so the text is never joined into one buffer. */
async function gzipChunks(chunks: readonly Buffer[]): Promise<Buffer[]> {
  const stream = createGzip();
  const output: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => output.push(chunk));
  const ended = once(stream, "end");
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return output;
}
