// The cloud clients of one target: the project's (its credentials carry the project id, looked
// up through IAM when not configured) and the account's for global services (CCM, EPS: AK/SK
// with X-Domain-Id, or a domain-scoped token), each with its own rate limit. Every request is
// counted; no client is shared between targets. Lookups run only during polls.

import {
  createAkSkAuthenticator,
  createDomainAkSkAuthenticator,
  createTokenAuthenticator,
  NO_AUTHENTICATION,
  type Authenticator,
} from "../cloud/auth.js";
import type { CloudService } from "../cloud/errors.js";
import {
  createCloudClient,
  type CloudClient,
  type CloudClientOptions,
  type RetryPolicy,
} from "../cloud/http-client.js";
import {
  createDomainPasswordToken,
  createPasswordToken,
  findDomainId,
  findProjectId,
  type IssuedToken,
} from "../cloud/iam.js";
import { createIamTokenAuthenticator } from "../cloud/iam-token.js";
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
  const authenticator = createAuthenticator(target, () => projects.known, deps, clientOptions);
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
    clientOptions(createCcmAuthenticator(target, () => domains.known, deps, clientOptions)),
  );
  return {
    client,
    ready: async (signal) => {
      if (target.auth.kind === "aksk") await domains.resolve(signal);
    },
  };
}

function createAuthenticator(
  target: TargetConfig,
  projectId: () => string | null,
  deps: TargetDependencies,
  clientOptions: (authenticator: Authenticator) => CloudClientOptions,
): Authenticator {
  const auth = target.auth;
  switch (auth.kind) {
    case "token":
      return createTokenAuthenticator(auth.token);
    case "aksk":
      return createAkSkAuthenticator(auth, projectId);
    case "password":
      return passwordAuthenticator(
        target,
        deps,
        clientOptions,
        (iamClient) =>
          createPasswordToken(iamClient, target.endpoints.iam, auth, {
            projectId: projectId(),
            region: target.region,
          }),
        "IAM token obtained",
      );
  }
}

/** The CCM client's credentials: the static token as is, AK/SK with the account, or a domain token. */
function createCcmAuthenticator(
  target: TargetConfig,
  domainId: () => string | null,
  deps: TargetDependencies,
  clientOptions: (authenticator: Authenticator) => CloudClientOptions,
): Authenticator {
  const auth = target.auth;
  switch (auth.kind) {
    case "token":
      return createTokenAuthenticator(auth.token);
    case "aksk":
      return createDomainAkSkAuthenticator(auth, domainId);
    case "password":
      return passwordAuthenticator(
        target,
        deps,
        clientOptions,
        (iamClient) => createDomainPasswordToken(iamClient, target.endpoints.iam, auth),
        "IAM domain-scoped token obtained",
      );
  }
}

/**
 * IAM password tokens, issued by `issue` and renewed before they expire. Each token is added
 * to the log scrubber the moment it arrives.
 */
function passwordAuthenticator(
  target: TargetConfig,
  deps: TargetDependencies,
  clientOptions: (authenticator: Authenticator) => CloudClientOptions,
  issue: (iamClient: CloudClient) => Promise<IssuedToken>,
  obtained: "IAM token obtained" | "IAM domain-scoped token obtained",
): Authenticator {
  // The token request itself carries no credentials but the password in its body.
  const iamClient = createCloudClient(clientOptions(NO_AUTHENTICATION));
  return createIamTokenAuthenticator({
    issue: () => issue(iamClient),
    onToken: (token) => {
      deps.scrubber.add(token.token);
      deps.logger.debug(
        { target: target.label, expiresAt: new Date(token.expiresAtMs).toISOString() },
        obtained,
      );
    },
  });
}
