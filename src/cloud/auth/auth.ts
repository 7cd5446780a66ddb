// The authentication seam of the cloud client. An Authenticator adds credentials to one
// outgoing API request just before it is sent, and again for every retry, so signatures and
// dates stay fresh. Three methods: a static token, AK/SK signing (SDK-HMAC-SHA256, with a
// security token for temporary credentials), and IAM password tokens (iam-token.ts).

import type { Secret } from "../../config/secret.js";
import { authorizationHeader, formatSdkDate } from "./aksk-signer.js";

export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: string;
}

export interface Authenticator {
  /** Headers that prove identity for this request. */
  headersFor(request: OutgoingRequest): Promise<Record<string, string>>;
  /**
   * The API answered 401 to a request sent with `usedHeaders`. Resolves true when new
   * credentials were obtained and the request should be retried once.
   */
  renewAfterUnauthorized?(usedHeaders: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** Requests that must carry no credentials (the IAM token request itself). */
export const NO_AUTHENTICATION: Authenticator = {
  headersFor: () => Promise.resolve({}),
};

/** A static IAM token, sent as X-Auth-Token. It cannot be renewed. */
export function createTokenAuthenticator(token: Secret): Authenticator {
  return {
    headersFor: () => Promise.resolve({ "X-Auth-Token": token.reveal() }),
  };
}

export interface AkSkCredentials {
  readonly accessKey: Secret;
  readonly secretKey: Secret;
  readonly securityToken: Secret | null;
}

/**
 * Signs every request with SDK-HMAC-SHA256. Signed headers: host, x-sdk-date, and, when
 * present, x-project-id (regional services need it) and x-security-token (temporary
 * credentials). `now` is injectable so signatures can be reproduced in tests.
 */
export function createAkSkAuthenticator(
  credentials: AkSkCredentials,
  projectId: () => string | null,
  now: () => Date = () => new Date(),
): Authenticator {
  return createScopedAkSkAuthenticator(
    credentials,
    () => scopeHeader("X-Project-Id", projectId()),
    now,
  );
}

/**
 * AK/SK signing for global services (Cloud Certificate Manager), which want the account's
 * X-Domain-Id instead of a project. Before the id is known (its IAM lookup) no scope is sent.
 */
export function createDomainAkSkAuthenticator(
  credentials: AkSkCredentials,
  domainId: () => string | null,
  now: () => Date = () => new Date(),
): Authenticator {
  return createScopedAkSkAuthenticator(
    credentials,
    () => scopeHeader("X-Domain-Id", domainId()),
    now,
  );
}

function scopeHeader(name: string, value: string | null): Record<string, string> {
  return value === null ? {} : { [name]: value };
}

function createScopedAkSkAuthenticator(
  credentials: AkSkCredentials,
  scope: () => Record<string, string>,
  now: () => Date,
): Authenticator {
  return {
    headersFor: (request) => {
      const sent: Record<string, string> = { "X-Sdk-Date": formatSdkDate(now()), ...scope() };
      if (credentials.securityToken !== null) {
        sent["X-Security-Token"] = credentials.securityToken.reveal();
      }
      // Host is signed but not sent: Node sets it from the URL, exactly as signed here.
      const authorization = authorizationHeader(
        {
          method: request.method,
          url: request.url,
          headers: { Host: request.url.host, ...sent },
          body: request.body,
        },
        credentials.accessKey.reveal(),
        credentials.secretKey.reveal(),
      );
      return Promise.resolve({ ...sent, Authorization: authorization });
    },
  };
}
