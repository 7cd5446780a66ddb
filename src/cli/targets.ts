// Builds the runtime pieces of one target: its authenticator, its cloud client (with its own
// rate limit), its project resolver, and one SourcePoller per source. Each target is its own
// error boundary: its pollers never throw for cloud failures, and nothing is shared between
// targets except the logger, the metrics and the scrubber.

import type { Authenticator } from "../cloud/auth/auth.js";
import { createAuthenticator, type PasswordTokens } from "../cloud/auth/create-authenticator.js";
import { findDomainId, findProjectId } from "../cloud/auth/iam.js";
import type { CloudConnections } from "../cloud/connections.js";
import { CloudApiError } from "../cloud/errors.js";
import { listEnterpriseProjects } from "../cloud/eps.js";
import {
  createCloudClient,
  type CloudClient,
  type CloudClientOptions,
} from "../cloud/http/client.js";
import type { RetryPolicy } from "../cloud/http/retry.js";
import type { Config, TargetConfig } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { SecretScrubber } from "../log/scrub.js";
import type { LiveMetrics } from "../metrics/live-metrics.js";
import { BundleCache } from "../poll/bundle-cache.js";
import { pollCcm } from "../sources/ccm/poller.js";
import { pollElb } from "../sources/elb/poller.js";
import { EnterpriseProjectDirectory } from "../poll/enterprise-projects.js";
import { pollGeminiDb } from "../sources/geminidb/poller.js";
import type { SourcePoller } from "../poll/poller.js";
import { ProjectResolver } from "../poll/project-resolver.js";
import { markFailed, type SourceSnapshot } from "../poll/snapshot.js";
import { initialCcmSnapshot, type CcmSourceSnapshot } from "../sources/ccm/snapshot.js";
import { initialElbSnapshot } from "../sources/elb/snapshot.js";
import { initialGeminiDbSnapshot } from "../sources/geminidb/snapshot.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";

export interface TargetDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
  readonly scrubber: SecretScrubber;
  readonly userAgent: string;
  readonly retry: RetryPolicy | undefined;
  /** Shared by every target's clients and downloads; closed by the owner of the polling. */
  readonly connections: CloudConnections;
  /** Unix seconds. */
  readonly now: () => number;
}

export interface TargetSource {
  readonly poller: SourcePoller;
  readonly initial: SourceSnapshot;
}

/** A source's poller, which accepts only its own kind of snapshot (the poller keeps them apart). */
function sourceOf<S extends SourceSnapshot>(
  source: S["source"],
  name: string,
  initial: S,
  poll: (previous: S, signal: AbortSignal) => Promise<S>,
): TargetSource {
  return {
    initial,
    poller: {
      name,
      poll: (previous, signal) =>
        previous.source === source
          ? poll(previous as S, signal)
          : Promise.reject(new Error(`${source} poller given another source's snapshot`)),
    },
  };
}

export function buildTargetSources(target: TargetConfig, deps: TargetDependencies): TargetSource[] {
  const { config, logger, metrics } = deps;
  const log = logger.child({ target: target.label, region: target.region });
  const clientOptions = (authenticator: Authenticator): CloudClientOptions => ({
    dispatcher: deps.connections.api,
    stopSignal: deps.connections.stopSignal,
    timeoutMs: config.httpTimeoutMs,
    authenticator,
    userAgent: deps.userAgent,
    retry: deps.retry,
    ...(config.apiRateLimit > 0 ? { rateLimitPerSecond: config.apiRateLimit } : {}),
    // An unreachable host is named in the error with the settings that decide it.
    hostHints: { ...target.endpointSettings, eps: "HWCERT_EPS_ENDPOINT" },
    onAttempt: (attempt) => {
      metrics.recordApiRequest(attempt.service, attempt.operation, attempt.code);
    },
    // Every 429 counts as rate_limited where it happens, even when a retry then succeeded;
    // the pollers therefore do not count rate_limited failures a second time (see below).
    onThrottled: (service) => {
      if (service !== "iam" && service !== "eps" && target.sources.includes(service)) {
        metrics.recordError(service, "rate_limited");
      }
    },
    onRetry: (retry) => {
      log.debug({ attempt: retry.attempt, ...retry.error.toLogFields() }, "retrying API request");
    },
  });

  // The resolver's lookup uses the client, which is created below; it only runs during polls.
  const projects = new ProjectResolver(target.projectId, (signal) =>
    findProjectId(client, target.endpoints.iam, target.region, signal).then((id) => {
      log.info({ projectId: id }, "project found through IAM");
      return id;
    }),
  );
  const authenticator = createAuthenticator(
    target.auth,
    { kind: "project", projectId: () => projects.known, region: target.region },
    passwordTokens(target, deps, clientOptions, "IAM token obtained"),
  );
  const client = createCloudClient(clientOptions(authenticator));

  const key = { region: target.region, projectId: target.projectId ?? "" };
  const recordErrorFor =
    (source: SourceName) =>
    (reason: ErrorReason): void => {
      if (reason !== "rate_limited") metrics.recordError(source, reason);
    };

  /** Resolves the project first; a failure marks the source down and is retried next poll. */
  const withProject =
    <S extends SourceSnapshot>(
      source: SourceName,
      poll: (previous: S, projectId: string, signal: AbortSignal) => Promise<S>,
    ) =>
    async (previous: S, signal: AbortSignal): Promise<S> => {
      let id: string;
      try {
        id = await projects.resolve(signal);
      } catch (error) {
        signal.throwIfAborted();
        if (!(error instanceof CloudApiError)) throw error;
        metrics.recordError(source, error.reason);
        log.warn({ source, ...error.toLogFields() }, "project lookup failed");
        return markFailed(previous, deps.now(), error);
      }
      return poll({ ...previous, projectId: id }, id, signal);
    };

  const ownerTagKeys = config.ownerTags.map((tag) => tag.key);
  /**
   * Global services (Cloud Certificate Manager, EPS) share one client, whose credentials carry
   * the account (X-Domain-Id for AK/SK, a domain-scoped token for a password) instead of the
   * project. Created on first use. `accountReady` looks the account id up first where AK/SK
   * needs it, and throws CloudApiError when that fails.
   */
  let globalServices: {
    client: CloudClient;
    accountReady: (signal: AbortSignal) => Promise<void>;
  } | null = null;
  const globalClient = (): NonNullable<typeof globalServices> => {
    if (globalServices !== null) return globalServices;
    const domains = new ProjectResolver(target.domainId, (signal) =>
      findDomainId(globalCloudClient, target.endpoints.iam, signal).then((id) => {
        log.info({ domainId: id }, "account (domain) id found through IAM");
        return id;
      }),
    );
    const globalCloudClient = createCloudClient(
      clientOptions(
        createAuthenticator(
          target.auth,
          { kind: "account", domainId: () => domains.known },
          passwordTokens(target, deps, clientOptions, "IAM domain-scoped token obtained"),
        ),
      ),
    );
    globalServices = {
      client: globalCloudClient,
      accountReady: async (signal) => {
        if (target.auth.kind === "aksk") await domains.resolve(signal);
      },
    };
    return globalServices;
  };

  const pollCcmSource = (() => {
    if (!target.sources.includes("ccm")) return () => Promise.reject(new Error("ccm not polled"));
    const { client: ccmClient, accountReady } = globalClient();
    const ccmDeps = {
      concurrency: config.concurrency,
      logger: log,
      recordError: recordErrorFor("ccm"),
      now: deps.now,
      ownerTagKeys,
    };
    return async (previous: CcmSourceSnapshot, signal: AbortSignal): Promise<CcmSourceSnapshot> => {
      try {
        await accountReady(signal);
      } catch (error) {
        signal.throwIfAborted();
        if (!(error instanceof CloudApiError)) throw error;
        metrics.recordError("ccm", error.reason);
        log.warn({ source: "ccm", ...error.toLogFields() }, "account (domain) lookup failed");
        return markFailed(previous, deps.now(), error);
      }
      return pollCcm(
        { ...ccmDeps, api: { client: ccmClient, endpoint: target.endpoints.ccm } },
        previous,
        signal,
      );
    };
  })();

  const sources = target.sources.map((name): TargetSource => {
    if (name === "ccm") {
      const poll = withProject("ccm", (previous: CcmSourceSnapshot, _id, signal) =>
        pollCcmSource(previous, signal),
      );
      return sourceOf("ccm", `${target.label}/ccm`, initialCcmSnapshot(key), poll);
    }
    if (name === "elb") {
      const elbDeps = {
        certificateIds: target.elb.certificateIds,
        concurrency: config.concurrency,
        bundles: new BundleCache(),
        logger: log,
        recordError: recordErrorFor("elb"),
        now: deps.now,
        ownerTagKeys,
      };
      const poll = withProject(
        "elb",
        (previous: Extract<SourceSnapshot, { source: "elb" }>, id, signal) =>
          pollElb(
            { ...elbDeps, api: { client, endpoint: target.endpoints.elb, projectId: id } },
            previous,
            signal,
          ),
      );
      return sourceOf("elb", `${target.label}/elb`, initialElbSnapshot(key), poll);
    }
    const geminidbDeps = {
      instanceIds: target.geminidb.instanceIds,
      download: {
        ...config.download,
        timeoutMs: config.httpTimeoutMs,
        userAgent: deps.userAgent,
        agent: deps.connections.downloads,
      },
      concurrency: config.concurrency,
      bundles: new BundleCache(),
      logger: log,
      recordError: recordErrorFor("geminidb"),
      now: deps.now,
      ownerTagKeys,
    };
    const poll = withProject(
      "geminidb",
      (previous: Extract<SourceSnapshot, { source: "geminidb" }>, id, signal) =>
        pollGeminiDb(
          { ...geminidbDeps, api: { client, endpoint: target.endpoints.geminidb, projectId: id } },
          previous,
          signal,
        ),
    );
    return sourceOf("geminidb", `${target.label}/geminidb`, initialGeminiDbSnapshot(key), poll);
  });
  return withEnterpriseProjectNames(sources);

  /**
   * With HWCERT_ENTERPRISE_PROJECT_NAMES, each source's snapshot carries the account's enterprise
   * project names after its poll (read at most hourly, shared by the target's sources). A failed
   * read is counted against the source that asked and leaves its last names.
   */
  function withEnterpriseProjectNames(list: TargetSource[]): TargetSource[] {
    const eps = config.enterpriseProjectNames;
    if (eps === null) return list;
    const directory = new EnterpriseProjectDirectory(async (signal) => {
      const { client: epsClient, accountReady } = globalClient();
      await accountReady(signal);
      return listEnterpriseProjects(epsClient, eps.endpoint, signal);
    }, deps.now);
    return list.map(({ initial, poller }) => ({
      initial,
      poller: {
        name: poller.name,
        poll: async (previous, signal) => {
          const next = await poller.poll(previous, signal);
          const names = await directory.names(signal, (error) => {
            metrics.recordError(next.source, error.reason);
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
}

/**
 * IAM password tokens through their own client (the token request carries no credentials but
 * the password in its body). Each token is added to the log scrubber the moment it arrives.
 */
function passwordTokens(
  target: TargetConfig,
  deps: TargetDependencies,
  clientOptions: (authenticator: Authenticator) => CloudClientOptions,
  obtained: "IAM token obtained" | "IAM domain-scoped token obtained",
): PasswordTokens {
  return {
    iamEndpoint: target.endpoints.iam,
    createClient: (authenticator) => createCloudClient(clientOptions(authenticator)),
    onToken: (token) => {
      deps.scrubber.add(token.token);
      deps.logger.debug(
        { target: target.label, expiresAt: new Date(token.expiresAtMs).toISOString() },
        obtained,
      );
    },
  };
}
