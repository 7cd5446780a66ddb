// Who may call the simulated APIs: the token store (a static token plus IAM-issued ones that can be
// revoked or expired) and the access keys for AK/SK signatures, behind one authenticate(request)
// seam. It decides validity only; the services decide what to answer (401/403 bodies).
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { verifySignedRequest } from "./aksk.js";

export interface IncomingRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Which projects a credential may touch: every one (the static token, AK/SK without
 * X-Project-Id), one project (project-scoped IAM token, AK/SK with X-Project-Id), or none
 * (a domain-scoped or unscoped IAM token, AK/SK with X-Domain-Id: fine for IAM and global
 * services such as CCM, refused by project APIs). `domainId` is the X-Domain-Id an AK/SK
 * request named (tokens carry their domain inside).
 */
export type Scope =
  | { readonly kind: "any" }
  | { readonly kind: "project"; readonly projectId: string }
  | { readonly kind: "domain"; readonly domainId?: string };

export type Principal =
  | { readonly kind: "token"; readonly scope: Scope }
  | { readonly kind: "access-key"; readonly accessKey: string; readonly scope: Scope };

export type AuthOutcome =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly message: string };

export interface IssuedToken {
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly scope: Scope;
}

interface TokenState {
  readonly scope: Scope;
  expiresAt: number;
}

export interface TokenStore {
  issue(scope: Scope, ttlMs: number): IssuedToken;
  /** Registers a token that never expires (the simulator's static token). */
  addStatic(token: string): void;
  revoke(token: string): void;
  revokeAll(): void;
  expire(token: string): void;
  expireAll(): void;
  check(token: string): AuthOutcome;
}

export interface AccessKeyStore {
  add(credentials: { accessKey: string; secretKey: string; securityToken?: string }): void;
  remove(accessKey: string): void;
  secretFor(accessKey: string): string | undefined;
  securityTokenFor(accessKey: string): string | undefined;
}

/** Looks like an IAM token (they start with "MII" and run to kilobytes); random each time. */
export function generateToken(): string {
  return `MIIS${randomBytes(384).toString("base64url")}`;
}

export function createTokenStore(now: () => number): TokenStore {
  const tokens = new Map<string, TokenState>();
  return {
    issue(scope, ttlMs) {
      const token = generateToken();
      const issuedAt = now();
      const expiresAt = issuedAt + ttlMs;
      tokens.set(token, { scope, expiresAt });
      return { token, issuedAt, expiresAt, scope };
    },
    addStatic(token) {
      tokens.set(token, { scope: { kind: "any" }, expiresAt: Number.POSITIVE_INFINITY });
    },
    revoke(token) {
      tokens.delete(token);
    },
    revokeAll() {
      tokens.clear();
    },
    expire(token) {
      const state = tokens.get(token);
      if (state !== undefined) state.expiresAt = now() - 1;
    },
    expireAll() {
      const past = now() - 1;
      for (const state of tokens.values()) state.expiresAt = past;
    },
    check(token) {
      const state = tokens.get(token);
      if (state === undefined) return { ok: false, message: "token is invalid or revoked" };
      if (state.expiresAt <= now()) return { ok: false, message: "token expires" };
      return { ok: true, principal: { kind: "token", scope: state.scope } };
    },
  };
}

export function createAccessKeyStore(): AccessKeyStore {
  const keys = new Map<string, { secretKey: string; securityToken: string | undefined }>();
  return {
    add({ accessKey, secretKey, securityToken }) {
      keys.set(accessKey, { secretKey, securityToken });
    },
    remove(accessKey) {
      keys.delete(accessKey);
    },
    secretFor(accessKey) {
      return keys.get(accessKey)?.secretKey;
    },
    securityTokenFor(accessKey) {
      return keys.get(accessKey)?.securityToken;
    },
  };
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The seam: an AK/SK Authorization header is checked as a signature, otherwise X-Auth-Token
 * against the token store. Messages end up after "Incorrect IAM authentication information: ".
 */
export function createAuthenticator(deps: {
  tokens: TokenStore;
  accessKeys: AccessKeyStore;
  now: () => number;
}): (request: IncomingRequest) => AuthOutcome {
  return (request) => {
    const authorization = single(request.headers, "authorization");
    if (authorization?.startsWith("SDK-HMAC-SHA256") === true) {
      let check;
      try {
        check = verifySignedRequest(
          request,
          (accessKey) => deps.accessKeys.secretFor(accessKey),
          deps.now(),
        );
      } catch {
        return { ok: false, message: "verify aksk signature fail" };
      }
      if (!check.ok) return check;
      const expectedSecurityToken = deps.accessKeys.securityTokenFor(check.accessKey);
      if (
        expectedSecurityToken !== undefined &&
        single(request.headers, "x-security-token") !== expectedSecurityToken
      ) {
        return { ok: false, message: "security token is invalid" };
      }
      const projectId = single(request.headers, "x-project-id");
      const domainId = single(request.headers, "x-domain-id");
      const scope: Scope =
        projectId !== undefined
          ? { kind: "project", projectId }
          : domainId !== undefined
            ? { kind: "domain", domainId }
            : { kind: "any" };
      return { ok: true, principal: { kind: "access-key", accessKey: check.accessKey, scope } };
    }
    const token = single(request.headers, "x-auth-token");
    if (token === undefined || token === "") {
      return { ok: false, message: "x-auth-token not found" };
    }
    return deps.tokens.check(token);
  };
}
