// What the generic polling layer hands a source to build its poller with, and what it expects
// back: the source's side of the contract between poll/target.ts and a source folder. A source
// reads what it needs (its endpoint, its configured ids) from the target's configuration; poll/
// never branches on a source's name.

import type { DownloadPolicy } from "../cloud/download.js";
import type { CloudClient } from "../cloud/http/client.js";
import type { TargetConfig } from "../config/config.js";
import type { SourceName } from "../source-names.js";
import type { SourcePollDependencies } from "./poller.js";
import type { SourceKey, SourceSnapshotBase } from "./snapshot.js";

/**
 * Whose credentials a source's requests carry: the target's project, or the account (a global
 * service such as Cloud Certificate Manager, whose requests name the account, not a project).
 */
export type SourceScope = "project" | "account";

/** Everything a source's poller may use; built once per target and source. */
export interface PollContext extends Omit<SourcePollDependencies, "bundles"> {
  /** The target's configuration: endpoints, configured resource ids. */
  readonly target: TargetConfig;
  /** The target's client for the source's scope, with its rate limit and credentials. */
  readonly client: CloudClient;
  /** How files are downloaded: limits, allowed hosts, deadline, user agent. */
  readonly download: DownloadPolicy;
}

/**
 * One source's poller for one target. `previous` already carries the target's project id (looked
 * up before the poll when not configured), and the account is known for an account-scoped
 * source. Never throws for cloud failures; rejects only on abort. (A method, so a source's
 * poller is usable where any source's is expected; the caller dispatches by name.)
 */
export interface SourcePoll<S extends SourceSnapshotBase> {
  poll(previous: S, signal: AbortSignal): Promise<S>;
}

/** A source as the polling layer sees it: a subset of the source module. */
export interface PollableSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  readonly scope: SourceScope;
  initialSnapshot(location: Omit<SourceKey, "source">): S;
  createPoller(context: PollContext): SourcePoll<S>;
  /** Its resources (counted for the `poll finished` log). */
  resources(snapshot: S): Iterable<unknown>;
}
