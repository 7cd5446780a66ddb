// The cloud clients of one target: the project's (its credentials carry the project id, looked
// up through IAM when not configured) and the account's for global services (CCM, EPS: AK/SK
// with X-Domain-Id, or a domain-scoped token), each with its own rate limit. Every request is
// counted; no client is shared between targets. Lookups run only during polls.

import type { Authenticator } from "../cloud/auth/auth.js";
import { createAuthenticator, type PasswordTokens } from "../cloud/auth/create-authenticator.js";
import { findDomainId, findProjectId } from "../cloud/auth/iam.js";
import type { CloudConnections } from "../cloud/connections.js";
import type { CloudService } from "../cloud/errors.js";
import {
  createCloudClient,
  type CloudClient,
  type CloudClientOptions,
} from "../cloud/http/client.js";
import type { RetryPolicy } from "../cloud/http/retry.js";
import type { Config, TargetConfig } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { SecretScrubber } from "../log/scrub.js";
import { ProjectResolver } from "./project-resolver.js";
import type { TargetCounters } from "./target-errors.js";

export interface TargetDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: TargetCounters;
  readonly scrubber: SecretScrubber;
  readonly userAgent: string;
  readonly retry: RetryPolicy | undefined;
  /** Shared by every target's clients and downloads; closed by the owner of the polling. */
  readonly connections: CloudConnections;
  /** Unix seconds. */
  readonly now: () => number;
}

/**
 * The account's client, whose credentials carry the account instead of the project. `ready`
 * looks the account id up first where AK/SK needs it, and throws CloudApiError when that fails.
 */
export interface AccountClient {
  readonly client: CloudClient;
  ready(signal: AbortSignal): Promise<void>;
}

export interface TargetClients {
  readonly project: CloudClient;
  /** The project id: configured, or looked up once through IAM (retried after a failure). */
  readonly projects: ProjectResolver;
  /** Created on first use. */
  account(): AccountClient;
}

export function createTargetClients(
  target: TargetConfig,
  deps: TargetDependencies,
  /** The target's logger. */
  log: Logger,
  /** Hears every 429 answer (see target-errors.ts). */
  onThrottled: (service: CloudService) => void,
): TargetClients {
  const clientOptions = cloudClientOptions(target, deps, log, onThrottled);
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
  let account: AccountClient | null = null;
  return {
    project: client,
    projects,
    account: () => (account ??= createAccountClient(target, deps, log, clientOptions)),
  };
}

function cloudClientOptions(
  target: TargetConfig,
  deps: TargetDependencies,
  log: Logger,
  onThrottled: (service: CloudService) => void,
): (authenticator: Authenticator) => CloudClientOptions {
  const { config, metrics } = deps;
  return (authenticator) => ({
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
    onThrottled,
    onRetry: (retry) => {
      log.debug({ attempt: retry.attempt, ...retry.error.toLogFields() }, "retrying API request");
    },
  });
}

/**
 * Global services (Cloud Certificate Manager, EPS) share one client, whose credentials carry
 * the account (X-Domain-Id for AK/SK, a domain-scoped token for a password) instead of the
 * project.
 */
function createAccountClient(
  target: TargetConfig,
  deps: TargetDependencies,
  log: Logger,
  clientOptions: (authenticator: Authenticator) => CloudClientOptions,
): AccountClient {
  const domains = new ProjectResolver(target.domainId, (signal) =>
    findDomainId(client, target.endpoints.iam, signal).then((id) => {
      log.info({ domainId: id }, "account (domain) id found through IAM");
      return id;
    }),
  );
  const client = createCloudClient(
    clientOptions(
      createAuthenticator(
        target.auth,
        { kind: "account", domainId: () => domains.known },
        passwordTokens(target, deps, clientOptions, "IAM domain-scoped token obtained"),
      ),
    ),
  );
  return {
    client,
    ready: async (signal) => {
      if (target.auth.kind === "aksk") await domains.resolve(signal);
    },
  };
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
