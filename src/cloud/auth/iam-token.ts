// IAM password tokens as an Authenticator: one token per target, cached, renewed ahead of its
// expires_at (a fifth of its lifetime, at most an hour, before), and renewed once when the API
// answers 401 with it (IAM revokes tokens early when permissions change). Concurrent requests
// share one renewal. Each new token is reported to `onToken` so logs can scrub it.

import type { Authenticator } from "./auth.js";
import type { IssuedToken } from "./iam.js";

export interface IamTokenOptions {
  /** Obtains a fresh token (createPasswordToken bound to the target). */
  readonly issue: () => Promise<IssuedToken>;
  readonly onToken?: (token: IssuedToken) => void;
  /** Unix milliseconds. */
  readonly now?: () => number;
}

const MAX_RENEW_AHEAD_MS = 60 * 60 * 1000;

export function createIamTokenAuthenticator(options: IamTokenOptions): Authenticator {
  const now = options.now ?? Date.now;
  let current: { token: IssuedToken; renewAtMs: number } | null = null;
  let renewing: Promise<IssuedToken> | null = null;

  const renew = (): Promise<IssuedToken> => {
    renewing ??= options
      .issue()
      .then((token) => {
        const issuedAt = now();
        const lifetime = Math.max(0, token.expiresAtMs - issuedAt);
        current = {
          token,
          renewAtMs: token.expiresAtMs - Math.min(MAX_RENEW_AHEAD_MS, lifetime / 5),
        };
        options.onToken?.(token);
        return token;
      })
      .finally(() => {
        renewing = null;
      });
    return renewing;
  };

  const valid = async (): Promise<IssuedToken> => {
    if (current !== null && now() < current.renewAtMs) return current.token;
    return renew();
  };

  return {
    headersFor: async () => ({ "X-Auth-Token": (await valid()).token }),
    renewAfterUnauthorized: async (usedHeaders) => {
      const used = usedHeaders["x-auth-token"];
      // Only the first 401 for a token renews it; requests that used an older token just retry.
      if (current !== null && used === current.token.token) current = null;
      await valid();
      return true;
    },
  };
}
