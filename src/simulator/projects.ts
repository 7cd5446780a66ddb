// The simulated account: its domain, the projects (one per region name, plus extras tests add)
// and the check every project-scoped API runs (credentials valid, scope matches, project exists).
// It does not know which API is asking; callers map the outcome to their own error bodies.
import { randomBytes } from "node:crypto";
import { apigwError, unauthorized } from "./errors.js";
import type { Reply, RouteContext } from "./http-kit.js";

export interface Project {
  readonly id: string;
  readonly name: string;
}

export interface ProjectControl {
  /** Adds a project (name is usually a region name); returns its id. */
  add(project: { id?: string; name: string }): string;
  list(): readonly Project[];
  get(id: string): Project | undefined;
  findByName(name: string): Project | undefined;
}

export function randomHexId(): string {
  return randomBytes(16).toString("hex");
}

export function createProjectStore(initial: Project): ProjectControl {
  const projects = new Map<string, Project>([[initial.id, initial]]);
  return {
    add({ id = randomHexId(), name }) {
      if (projects.has(id)) throw new Error(`project ${id} already exists`);
      projects.set(id, { id, name });
      return id;
    },
    list: () => [...projects.values()],
    get: (id) => projects.get(id),
    findByName(name) {
      for (const project of projects.values()) if (project.name === name) return project;
      return undefined;
    },
  };
}

/**
 * Authenticates and checks the path's project: 401 for bad credentials, 403 when a project-scoped
 * token (or the signer's X-Project-Id) names another project, 404 for a project that does not
 * exist. Returns undefined when the request may proceed.
 */
export function guardProject(
  ctx: RouteContext,
  projects: ProjectControl,
  projectId: string,
): Reply | undefined {
  const outcome = ctx.authenticate();
  if (!outcome.ok) return unauthorized(ctx.requestId, outcome.message);
  const scope = outcome.principal.scope;
  if (scope.kind === "domain" || (scope.kind === "project" && scope.projectId !== projectId)) {
    return apigwError(
      403,
      ctx.requestId,
      "The IAM or ACL authentication failed: the credential is not valid for this project",
    );
  }
  if (projects.get(projectId) === undefined) {
    return apigwError(404, ctx.requestId, `Project ${projectId} could not be found`);
  }
  return undefined;
}
