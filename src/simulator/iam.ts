// The simulated IAM: password tokens (`POST /v3/auth/tokens`, project- or domain-scoped, token in
// X-Subject-Token, a fresh one every time), project lookup (`GET /v3/projects?name=`) and the
// account the credentials belong to (`GET /v3/auth/domains`). Only the password method exists;
// assume-role, federation and MFA are out of scope.
import type { TokenStore, Scope } from "./auth.js";
import { faultBody, unauthorized } from "./errors.js";
import { formatIamTime } from "./formats.js";
import { jsonReply, type Reply, type RouteContext, type ServiceDefinition } from "./http-kit.js";
import type { Project, ProjectControl } from "./projects.js";

export interface IamCredentials {
  readonly domain: string;
  readonly username: string;
  readonly password: string;
}

export interface IamControl {
  /** The password that POST /v3/auth/tokens accepts. */
  readonly credentials: IamCredentials;
  /** Lifetime of issued tokens in ms (default 24 h); affects tokens issued afterwards. */
  tokenTtlMs: number;
  /** Tokens issued so far, oldest first (revoked ones included). */
  readonly issuedTokens: readonly string[];
  revokeToken(token: string): void;
  /** Revokes every token, the static one included. */
  revokeAll(): void;
  expireToken(token: string): void;
  /** Expires every token, the static one included. */
  expireAll(): void;
  /**
   * The account's enterprise projects, served by the EPS API (`GET /v1.0/enterprise-projects`,
   * answered on the IAM endpoint: both are global services). Default: just `0`, "default".
   */
  enterpriseProjects: { readonly id: string; readonly name: string }[];
}

export interface IamDeps {
  readonly credentials: IamCredentials;
  readonly domainId: string;
  readonly userId: string;
  readonly tokens: TokenStore;
  readonly projects: ProjectControl;
  readonly now: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createIam(deps: IamDeps): { control: IamControl; definition: ServiceDefinition } {
  const issued: string[] = [];
  const control: IamControl = {
    credentials: deps.credentials,
    tokenTtlMs: DAY_MS,
    issuedTokens: issued,
    revokeToken: (token) => {
      deps.tokens.revoke(token);
    },
    revokeAll: () => {
      deps.tokens.revokeAll();
    },
    expireToken: (token) => {
      deps.tokens.expire(token);
    },
    expireAll: () => {
      deps.tokens.expireAll();
    },
    enterpriseProjects: [{ id: "0", name: "default" }],
  };

  const domain = { id: deps.domainId, name: deps.credentials.domain };

  const keystoneError = (status: number, title: string, message: string): Reply =>
    jsonReply(status, { error: { code: status, message, title } });
  const refused = (): Reply =>
    keystoneError(401, "Unauthorized", "The request you have made requires authentication.");

  const createToken = (ctx: RouteContext): Reply => {
    let body: unknown;
    try {
      body = JSON.parse(ctx.request.body.toString("utf8"));
    } catch {
      return keystoneError(400, "Bad Request", "The request body is not valid JSON.");
    }
    const auth = field(body, "auth");
    const identity = field(auth, "identity");
    const methods = field(identity, "methods");
    const user = field(field(identity, "password"), "user");
    if (!Array.isArray(methods) || !methods.includes("password") || user === undefined) {
      return keystoneError(400, "Bad Request", "Only the password method is supported.");
    }
    const userDomain = field(user, "domain");
    const domainMatches =
      field(userDomain, "name") === deps.credentials.domain ||
      field(userDomain, "id") === deps.domainId;
    if (
      !domainMatches ||
      field(user, "name") !== deps.credentials.username ||
      field(user, "password") !== deps.credentials.password
    ) {
      return refused();
    }

    const scopeBody = field(auth, "scope");
    const projectScope = field(scopeBody, "project");
    const domainScope = field(scopeBody, "domain");
    if (
      domainScope !== undefined &&
      field(domainScope, "name") !== deps.credentials.domain &&
      field(domainScope, "id") !== deps.domainId
    ) {
      return refused();
    }
    let project: Project | undefined;
    let scope: Scope = { kind: "domain" };
    if (projectScope !== undefined) {
      const id = field(projectScope, "id");
      const name = field(projectScope, "name");
      project =
        typeof id === "string"
          ? deps.projects.get(id)
          : typeof name === "string"
            ? deps.projects.findByName(name)
            : undefined;
      if (project === undefined) return refused();
      scope = { kind: "project", projectId: project.id };
    }

    const token = deps.tokens.issue(scope, control.tokenTtlMs);
    issued.push(token.token);
    ctx.markAuthenticated();
    return jsonReply(
      201,
      {
        token: {
          expires_at: formatIamTime(token.expiresAt),
          issued_at: formatIamTime(token.issuedAt),
          methods: ["password"],
          ...(project === undefined
            ? { domain }
            : { project: { id: project.id, name: project.name, domain } }),
          user: {
            id: deps.userId,
            name: deps.credentials.username,
            domain,
            password_expires_at: "",
          },
          roles: [{ id: "0", name: "op_fine_grained" }],
          catalog: [],
        },
      },
      { "X-Subject-Token": token.token },
    );
  };

  const listProjects = (ctx: RouteContext): Reply => {
    const outcome = ctx.authenticate();
    if (!outcome.ok) return unauthorized(ctx.requestId, outcome.message);
    const name = ctx.query.get("name");
    const projects = deps.projects
      .list()
      .filter((project) => name === null || project.name === name)
      .map((project) => ({
        id: project.id,
        name: project.name,
        domain_id: deps.domainId,
        parent_id: deps.domainId,
        description: "",
        enabled: true,
        is_domain: false,
      }));
    return jsonReply(200, {
      projects,
      links: { self: "/v3/projects", next: null, previous: null },
    });
  };

  const listDomains = (ctx: RouteContext): Reply => {
    const outcome = ctx.authenticate();
    if (!outcome.ok) return unauthorized(ctx.requestId, outcome.message);
    return jsonReply(200, {
      domains: [{ ...domain, enabled: true, description: "" }],
      links: { self: "/v3/auth/domains" },
    });
  };

  const listEnterpriseProjects = (ctx: RouteContext): Reply => {
    const outcome = ctx.authenticate();
    if (!outcome.ok) return unauthorized(ctx.requestId, outcome.message);
    const offset = Number(ctx.query.get("offset") ?? 0);
    const limit = Number(ctx.query.get("limit") ?? 1000);
    const all = control.enterpriseProjects;
    return jsonReply(200, {
      enterprise_projects: all.slice(offset, offset + limit).map((project) => ({
        id: project.id,
        name: project.name,
        description: "",
        status: 1,
        type: "prod",
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
      })),
      total_count: all.length,
    });
  };

  const definition: ServiceDefinition = {
    service: "iam",
    route(method, segments) {
      const path = segments.join("/");
      if (method === "POST" && path === "v3/auth/tokens") {
        return { operation: "iam.createToken", handle: createToken };
      }
      if (method === "GET" && path === "v3/projects") {
        return { operation: "iam.listProjects", handle: listProjects };
      }
      if (method === "GET" && path === "v3/auth/domains") {
        return { operation: "iam.listDomains", handle: listDomains };
      }
      if (method === "GET" && path === "v1.0/enterprise-projects") {
        return { operation: "eps.listEnterpriseProjects", handle: listEnterpriseProjects };
      }
      return undefined;
    },
    notFound: (requestId) => faultBody(404, requestId, "apigw", "apigw"),
    faultBody: (status, requestId, body) => faultBody(status, requestId, body, "apigw"),
  };

  return { control, definition };
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string, unknown>)[name];
}
