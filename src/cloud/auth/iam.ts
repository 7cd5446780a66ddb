// IAM calls the exporter makes: a project- or domain-scoped token from a password
// (POST /v3/auth/tokens), the project id of a region (GET /v3/projects?name=) and the account's
// domain id (GET /v3/auth/domains). Typed results or CloudApiError; the password goes only into
// the request body and the token only into the returned value.

import { z } from "zod";
import type { Secret } from "../../config/secret.js";
import { parseApiTime } from "../api-time.js";
import { CloudApiError } from "../errors.js";
import { shapeError } from "../shape.js";
import type { CloudClient } from "../http/client.js";
import { readJson } from "../read-json.js";

export interface PasswordLogin {
  readonly domain: string;
  readonly username: string;
  readonly password: Secret;
}

export interface IssuedToken {
  readonly token: string;
  /** Unix milliseconds. */
  readonly expiresAtMs: number;
  /** The project the token is scoped to, when IAM says. */
  readonly projectId: string | null;
}

const tokenBodySchema = z.object({
  token: z.object({
    expires_at: z.string(),
    project: z.object({ id: z.string() }).nullish(),
  }),
});

const projectsSchema = z.object({
  projects: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});

const domainsSchema = z.object({
  domains: z.array(z.object({ id: z.string().min(1), name: z.string().nullish() })),
});

/** Obtains a token scoped to the project (by id when known, else by the region's name). */
export function createPasswordToken(
  client: CloudClient,
  iamEndpoint: string,
  login: PasswordLogin,
  scope: { readonly projectId: string | null; readonly region: string },
  signal?: AbortSignal,
): Promise<IssuedToken> {
  return issuePasswordToken(
    client,
    iamEndpoint,
    login,
    { project: scope.projectId !== null ? { id: scope.projectId } : { name: scope.region } },
    signal,
  );
}

/** Obtains a token scoped to the user's account (domain): global services such as CCM want it. */
export function createDomainPasswordToken(
  client: CloudClient,
  iamEndpoint: string,
  login: PasswordLogin,
  signal?: AbortSignal,
): Promise<IssuedToken> {
  return issuePasswordToken(client, iamEndpoint, login, { domain: { name: login.domain } }, signal);
}

async function issuePasswordToken(
  client: CloudClient,
  iamEndpoint: string,
  login: PasswordLogin,
  scope: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<IssuedToken> {
  const operation = "create_token";
  const response = await client.requestJson({
    service: "iam",
    operation,
    method: "POST",
    url: `${iamEndpoint}/v3/auth/tokens`,
    authenticate: false,
    json: {
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              domain: { name: login.domain },
              name: login.username,
              password: login.password.reveal(),
            },
          },
        },
        scope,
      },
    },
    signal,
  });
  const token = response.header("x-subject-token");
  const parsed = tokenBodySchema.safeParse(response.body);
  if (!token || !parsed.success) {
    throw shapeError(
      "iam",
      operation,
      token ? "no token.expires_at" : "no X-Subject-Token",
      response.requestId,
    );
  }
  const expiresAt = parseApiTime(parsed.data.token.expires_at);
  if (expiresAt === null) {
    throw shapeError("iam", operation, "token.expires_at is not a time", response.requestId);
  }
  return {
    token,
    expiresAtMs: expiresAt * 1000,
    projectId: parsed.data.token.project?.id ?? null,
  };
}

/** The id of the project named like the region. The exporter never creates one. */
export async function findProjectId(
  client: CloudClient,
  iamEndpoint: string,
  region: string,
  signal?: AbortSignal,
): Promise<string> {
  const operation = "list_projects";
  const response = await client.requestJson({
    service: "iam",
    operation,
    url: `${iamEndpoint}/v3/projects`,
    searchParams: new URLSearchParams({ name: region }),
    signal,
  });
  const parsed = projectsSchema.safeParse(response.body);
  if (!parsed.success)
    throw shapeError("iam", operation, "projects is not a list", response.requestId);
  const project = parsed.data.projects.find((candidate) => candidate.name === region);
  if (!project) {
    throw new CloudApiError({
      service: "iam",
      operation,
      status: 200,
      reason: "not_found",
      errorCode: null,
      requestId: response.requestId,
      detail: `no project named ${region} (set HWCERT_PROJECT_ID or project_id)`,
    });
  }
  return project.id;
}

/**
 * The id of the account (domain) the credentials belong to: the first domain IAM says they may
 * access. AK/SK requests to global services carry it as X-Domain-Id.
 */
export async function findDomainId(
  client: CloudClient,
  iamEndpoint: string,
  signal?: AbortSignal,
): Promise<string> {
  const service = "iam";
  const operation = "list_auth_domains";
  const { data, requestId } = await readJson(
    client,
    { service, operation, url: `${iamEndpoint}/v3/auth/domains`, signal },
    domainsSchema,
  );
  const domain = data.domains[0];
  if (!domain) {
    throw new CloudApiError({
      service,
      operation,
      status: 200,
      reason: "not_found",
      errorCode: null,
      requestId,
      detail: "IAM lists no account for these credentials (set HWCERT_DOMAIN_ID or domain_id)",
    });
  }
  return domain.id;
}
