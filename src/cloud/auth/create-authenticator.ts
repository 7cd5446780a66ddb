// The one place a target's authentication settings become an Authenticator, for either scope a
// client needs: a project (regional services) or the account (global services such as CCM and
// EPS). It decides the credentials only; logging and the scrubbing of new tokens are the caller's.

import type { AuthConfig } from "../../config/config.js";
import type { CloudClient } from "../http/client.js";
import {
  createAkSkAuthenticator,
  createDomainAkSkAuthenticator,
  createTokenAuthenticator,
  NO_AUTHENTICATION,
  type Authenticator,
} from "./auth.js";
import { createDomainPasswordToken, createPasswordToken, type IssuedToken } from "./iam.js";
import { createIamTokenAuthenticator } from "./iam-token.js";

/** Whom the credentials speak for. */
export type AuthScope =
  /** X-Project-Id with AK/SK; a token scoped to the project (by id when known, else region). */
  | {
      readonly kind: "project";
      readonly projectId: () => string | null;
      readonly region: string;
    }
  /** X-Domain-Id with AK/SK (none before the id is known); a domain-scoped token. */
  | { readonly kind: "account"; readonly domainId: () => string | null };

/** How IAM password tokens are obtained, and who hears of each new one. */
export interface PasswordTokens {
  readonly iamEndpoint: string;
  /** A client for the token request; it is given NO_AUTHENTICATION (only the body carries the password). */
  readonly createClient: (authenticator: Authenticator) => CloudClient;
  readonly onToken: (token: IssuedToken) => void;
}

/**
 * A static token as is, AK/SK signing with the scope's header, or IAM password tokens scoped
 * as asked and renewed before they expire.
 */
export function createAuthenticator(
  auth: AuthConfig,
  scope: AuthScope,
  tokens: PasswordTokens,
): Authenticator {
  switch (auth.kind) {
    case "token":
      return createTokenAuthenticator(auth.token);
    case "aksk":
      return scope.kind === "project"
        ? createAkSkAuthenticator(auth, scope.projectId)
        : createDomainAkSkAuthenticator(auth, scope.domainId);
    case "password": {
      const iamClient = tokens.createClient(NO_AUTHENTICATION);
      return createIamTokenAuthenticator({
        issue: () =>
          scope.kind === "project"
            ? createPasswordToken(iamClient, tokens.iamEndpoint, auth, {
                projectId: scope.projectId(),
                region: scope.region,
              })
            : createDomainPasswordToken(iamClient, tokens.iamEndpoint, auth),
        onToken: tokens.onToken,
      });
    }
  }
}
