// What /metrics serves: the live registry rendered now, followed by the snapshot text rendered
// at the end of the last poll. The two hold disjoint metric families. Never throws: a failing
// live collector is logged and its part left out rather than failing the whole scrape.

import type { Logger } from "../log/logger.js";
import type { LiveMetrics } from "./live-metrics.js";
import type { RenderedMetrics } from "./snapshot-metrics.js";

export class MetricsExposition {
  readonly #live: LiveMetrics;
  readonly #logger: Logger;
  #snapshot: RenderedMetrics;

  constructor(live: LiveMetrics, initial: RenderedMetrics, logger: Logger) {
    this.#live = live;
    this.#snapshot = initial;
    this.#logger = logger;
  }

  get contentType(): string {
    return this.#live.registry.contentType;
  }

  /** Replaces the polled part; called once per completed poll. */
  publish(rendered: RenderedMetrics): void {
    this.#snapshot = rendered;
  }

  async render(): Promise<string> {
    let live = "";
    try {
      live = await this.#live.registry.metrics();
    } catch (error) {
      this.#logger.error({ err: error }, "rendering live metrics failed");
    }
    return live + this.#snapshot.text;
  }
}
