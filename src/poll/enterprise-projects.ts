// The account's enterprise project names, for the owner labels: read through EPS at most once
// an hour per target, shared by its sources (concurrent askers wait for one listing). A failed
// listing keeps the last names and is reported to whoever asked; it never fails a source.

import type { CloudApiError } from "../cloud/errors.js";
import type { EnterpriseProject } from "../cloud/eps.js";
import { cloudFailure } from "./cloud-failure.js";

/** Names change rarely; re-read at most this often. */
export const NAMES_REFRESH_SECONDS = 3_600;

export type EnterpriseProjectNames = ReadonlyMap<string, string>;

export class EnterpriseProjectDirectory {
  readonly #list: (signal: AbortSignal) => Promise<EnterpriseProject[]>;
  readonly #now: () => number;
  #names: EnterpriseProjectNames = new Map();
  #readAt: number | null = null;
  #pending: Promise<EnterpriseProjectNames> | null = null;

  constructor(list: (signal: AbortSignal) => Promise<EnterpriseProject[]>, now: () => number) {
    this.#list = list;
    this.#now = now;
  }

  /**
   * The names, re-read when older than NAMES_REFRESH_SECONDS (or never read). `onError` hears
   * a failed listing (the caller that started it); the last names are returned regardless.
   */
  async names(
    signal: AbortSignal,
    onError: (error: CloudApiError) => void,
  ): Promise<EnterpriseProjectNames> {
    if (this.#readAt !== null && this.#now() - this.#readAt < NAMES_REFRESH_SECONDS) {
      return this.#names;
    }
    this.#pending ??= (async () => {
      try {
        const projects = await this.#list(signal);
        this.#names = new Map(projects.map((project) => [project.id, project.name]));
        this.#readAt = this.#now();
      } catch (caught) {
        onError(cloudFailure(caught, signal));
      } finally {
        this.#pending = null;
      }
      return this.#names;
    })();
    return this.#pending;
  }
}
