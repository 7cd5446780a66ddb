// Finds a target's project id through IAM when the configuration does not give it, once: the
// result is kept for the life of the daemon (projects do not change ids). A failure is not
// kept, so the next poll tries again; concurrent callers share one lookup.

export class ProjectResolver {
  readonly #lookup: (signal: AbortSignal) => Promise<string>;
  #projectId: string | null;
  #pending: Promise<string> | null = null;

  constructor(configured: string | null, lookup: (signal: AbortSignal) => Promise<string>) {
    this.#projectId = configured;
    this.#lookup = lookup;
  }

  /** The id if known, without a lookup. */
  get known(): string | null {
    return this.#projectId;
  }

  resolve(signal: AbortSignal): Promise<string> {
    if (this.#projectId !== null) return Promise.resolve(this.#projectId);
    this.#pending ??= this.#lookup(signal)
      .then((id) => {
        this.#projectId = id;
        return id;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }
}
