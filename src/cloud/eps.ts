// Enterprise Project Management Service (EPS), a global service: the account's enterprise
// projects, to turn the enterprise_project_id on resources into the name people route by.
// Offset paging to total_count; anything off-contract is `api_shape`.

import { z } from "zod";
import type { CloudClient } from "./http/client.js";
import { readJson } from "./read-json.js";
import { shapeError } from "./shape.js";

export interface EnterpriseProject {
  readonly id: string;
  readonly name: string;
}

const PAGE_LIMIT = 1_000;
/** The account limit is in the hundreds; a server that pages past this is broken. */
const MAX_PAGES = 20;

const listSchema = z.object({
  enterprise_projects: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  total_count: z.number().int().nonnegative().nullish(),
});

/** Every enterprise project of the account (`GET /v1.0/enterprise-projects`). */
export async function listEnterpriseProjects(
  client: CloudClient,
  endpoint: string,
  signal?: AbortSignal,
): Promise<EnterpriseProject[]> {
  const operation = "list_enterprise_projects";
  const projects: EnterpriseProject[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const searchParams = new URLSearchParams({
      offset: String(projects.length),
      limit: String(PAGE_LIMIT),
    });
    const { data } = await readJson(
      client,
      {
        service: "eps",
        operation,
        url: `${endpoint}/v1.0/enterprise-projects`,
        searchParams,
        signal,
      },
      listSchema,
    );
    const entries = data.enterprise_projects;
    projects.push(...entries.map((entry) => ({ id: entry.id, name: entry.name })));
    const total = data.total_count ?? projects.length;
    if (entries.length === 0 || projects.length >= total) return projects;
  }
  throw shapeError("eps", operation, `paging did not end within ${MAX_PAGES} pages`, null);
}
