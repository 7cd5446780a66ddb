// The authentication seam of the cloud client. An Authenticator adds credentials to one
// outgoing API request, just before it is sent (and again for every retry, so signatures and
// dates stay fresh). Token auth lives here; AK/SK signing and IAM password tokens implement
// the same interface.

import type { Secret } from "../config/secret.js";

export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface Authenticator {
  /** Headers that prove identity for this request. */
  headersFor(request: OutgoingRequest): Promise<Record<string, string>>;
}

/** A static IAM token, sent as X-Auth-Token. */
export function createTokenAuthenticator(token: Secret): Authenticator {
  return {
    headersFor: () => Promise.resolve({ "X-Auth-Token": token.reveal() }),
  };
}
