// Builds one target's pollers: for each configured source, the project lookup (and the account
// lookup for an account-scoped source) before its poll, the source's own poller (built by its
// module from a generic context), and the enterprise project names after it. Each target is its
// own error boundary: its pollers never throw for cloud failures, and nothing is shared between
// targets except the logger, the counters and the scrubber. It knows no source by name.

import { listEnterpriseProjects } from "../cloud/eps.js";
import type { TargetConfig } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { moduleOf } from "../source-names.js";
import { cloudFailure } from "./cloud-failure.js";
import { EnterpriseProjectDirectory } from "./enterprise-projects.js";
import type { PollableSource, PollContext } from "./poll-context.js";
import type { SourcePoller } from "./poller.js";
import { markFailed, type SourceSnapshotBase } from "./snapshot.js";
import {
  createTargetClients,
  type TargetClients,
  type TargetDependencies,
} from "./target-clients.js";
import { targetErrors, type TargetErrors } from "./target-errors.js";

export type { TargetDependencies } from "./target-clients.js";

/** One source of one target: its poller and its snapshot before the first poll. */
export interface TargetSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly poller: SourcePoller<S>;
  readonly initial: S;
}

/** What every source's poll of one target shares. */
interface TargetPolling {
  readonly target: TargetConfig;
  readonly deps: TargetDependencies;
  readonly log: Logger;
  readonly clients: TargetClients;
  readonly errors: TargetErrors;
}

export function buildTargetSources<S extends SourceSnapshotBase>(
  target: TargetConfig,
  deps: TargetDependencies,
  /** Every source the exporter knows (the target polls those it names). */
  modules: readonly PollableSource<S>[],
): TargetSource<S>[] {
  const log = deps.logger.child({ target: target.label, region: target.region });
  const errors = targetErrors(target, deps.metrics);
  const clients = createTargetClients(target, deps, log, errors.onThrottled);
  const polling: TargetPolling = { target, deps, log, clients, errors };
  const sources = target.sources.map((name) =>
    targetSource(polling, moduleOf(modules, { source: name })),
  );
  return withEnterpriseProjectNames(polling, sources);
}

/** A source's poller, which accepts only its own kind of snapshot. */
function targetSource<S extends SourceSnapshotBase>(
  polling: TargetPolling,
  module: PollableSource<S>,
): TargetSource<S> {
  const { target, deps, log, clients, errors } = polling;
  const source = module.name;
  const account = module.scope === "account" ? clients.account() : null;
  const context: PollContext = {
    target,
    client: account?.client ?? clients.project,
    logger: log,
    recordError: errors.forSource(source),
    now: deps.now,
    concurrency: deps.config.concurrency,
    ownerTagKeys: deps.config.ownerTags.map((tag) => tag.key),
    download: {
      ...deps.config.download,
      timeoutMs: deps.config.httpTimeoutMs,
      userAgent: deps.userAgent,
      agent: deps.connections.downloads,
    },
  };
  const poller = module.createPoller(context);
  /** A failed lookup marks the source down; it is retried next poll. */
  const lookupFailed = (previous: S, caught: unknown, signal: AbortSignal, message: string): S => {
    const error = cloudFailure(caught, signal);
    errors.onBehalfOf(source, error.reason);
    log.warn({ source, ...error.toLogFields() }, message);
    return markFailed(previous, deps.now(), error);
  };
  const poll = async (previous: S, signal: AbortSignal): Promise<S> => {
    let projectId: string;
    try {
      projectId = await clients.projects.resolve(signal);
    } catch (caught) {
      return lookupFailed(previous, caught, signal, "project lookup failed");
    }
    const located: S = { ...previous, projectId };
    try {
      await account?.ready(signal);
    } catch (caught) {
      return lookupFailed(located, caught, signal, "account (domain) lookup failed");
    }
    return poller.poll(located, signal);
  };
  return {
    initial: module.initialSnapshot({ region: target.region, projectId: target.projectId ?? "" }),
    poller: {
      name: `${target.label}/${source}`,
      countResources: (snapshot) => countOf(module.resources(snapshot)),
      poll: (previous, signal) =>
        previous.source === source
          ? poll(previous, signal)
          : Promise.reject(new Error(`${source} poller given another source's snapshot`)),
    },
  };
}

/**
 * With HWCERT_ENTERPRISE_PROJECT_NAMES, each source's snapshot carries the account's enterprise
 * project names after its poll (read at most hourly, shared by the target's sources). A failed
 * read is counted against the source that asked and leaves its last names.
 */
function withEnterpriseProjectNames<S extends SourceSnapshotBase>(
  { deps, log, clients, errors }: TargetPolling,
  list: TargetSource<S>[],
): TargetSource<S>[] {
  const eps = deps.config.enterpriseProjectNames;
  if (eps === null) return list;
  const directory = new EnterpriseProjectDirectory(async (signal) => {
    const account = clients.account();
    await account.ready(signal);
    return listEnterpriseProjects(account.client, eps.endpoint, signal);
  }, deps.now);
  return list.map(({ initial, poller }) => ({
    initial,
    poller: {
      ...poller,
      poll: async (previous, signal) => {
        const next = await poller.poll(previous, signal);
        const names = await directory.names(signal, (error) => {
          errors.onBehalfOf(next.source, error.reason);
          log.warn(
            { source: next.source, ...error.toLogFields() },
            "enterprise project names kept from the last read",
          );
        });
        return { ...next, enterpriseProjectNames: names };
      },
    },
  }));
}

function countOf(items: Iterable<unknown>): number {
  let count = 0;
  for (const item of items) if (item !== undefined) count++;
  return count;
}
