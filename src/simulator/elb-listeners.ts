// The simulated ELB v3 listener API: an in-memory store per project, sorted by id, served with
// the same marker paging and server-side page cap as the certificate list. References to
// certificates are stored as given (an id, null or ""), never checked against the certificate
// store: the real API is what decides, and tests need dangling and empty references too.
import { readElbPageSize } from "./elb-limit.js";
import { elbError } from "./errors.js";
import type { FaultAction } from "./faults.js";
import { formatIsoSeconds } from "./formats.js";
import { rawJsonReply, type Reply, type RouteContext } from "./http-kit.js";
import { guardProject, randomHexId, type ProjectControl } from "./projects.js";

/** Listener exactly as the API returns it (the fields the exporter may read, and a few more). */
export interface ElbListenerInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly protocol: string;
  readonly protocol_port: number;
  readonly default_tls_container_ref: string | null;
  readonly sni_container_refs: readonly string[];
  readonly client_ca_tls_container_ref: string | null;
  readonly loadbalancers: readonly { readonly id: string }[];
  readonly admin_state_up: boolean;
  readonly project_id: string;
  readonly enterprise_project_id: string;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  readonly created_at: string;
}

export interface ElbListenerInput {
  readonly id?: string;
  readonly name: string;
  /** Default `HTTPS`. */
  readonly protocol?: string;
  /** Default 443. */
  readonly protocolPort?: number;
  /** An ELB certificate id, or null / "" for none (both forms exist). Default null. */
  readonly defaultTlsContainerRef?: string | null;
  readonly sniContainerRefs?: readonly string[];
  /** An ELB certificate id of a CA, or null / "" for none. Default null. */
  readonly clientCaTlsContainerRef?: string | null;
  /** Default: one generated load balancer id. */
  readonly loadbalancerIds?: readonly string[];
  readonly adminStateUp?: boolean;
  readonly projectId?: string;
  readonly enterpriseProjectId?: string;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface ElbListenerControl {
  /** Stores a listener; returns its id (32 hex chars unless given). */
  addListener(input: ElbListenerInput): string;
  removeListener(id: string): boolean;
  /** All listeners (or one project's), sorted by id, as the API would print them. */
  listListeners(projectId?: string): readonly ElbListenerInfo[];
}

export interface ElbListenerDeps {
  readonly projects: ProjectControl;
  readonly defaultProjectId: string;
  readonly now: () => number;
  readonly pageSizeCap: number;
  readonly maxLimit: number;
}

const FILTER_KEYS = [
  "id",
  "name",
  "protocol",
  "default_tls_container_ref",
  "client_ca_tls_container_ref",
  "enterprise_project_id",
] as const;

const byId = (a: ElbListenerInfo, b: ElbListenerInfo): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function createElbListeners(deps: ElbListenerDeps): {
  control: ElbListenerControl;
  clear: () => void;
  list: (ctx: RouteContext, projectId: string) => Reply;
} {
  const listeners = new Map<string, ElbListenerInfo>();
  /** Markers handed out by the pagination-endless fault: marker → where the next page starts. */
  const syntheticMarkers = new Map<string, { projectId: string; start: number }>();

  const ofProject = (projectId: string): ElbListenerInfo[] =>
    [...listeners.values()].filter((listener) => listener.project_id === projectId).sort(byId);

  const control: ElbListenerControl = {
    addListener(input) {
      const id = input.id ?? randomHexId();
      if (listeners.has(id)) throw new Error(`ELB listener ${id} already exists`);
      const projectId = input.projectId ?? deps.defaultProjectId;
      if (deps.projects.get(projectId) === undefined) {
        throw new Error(`ELB listener ${input.name}: unknown project ${projectId}`);
      }
      const port = input.protocolPort ?? 443;
      if (!Number.isInteger(port)) throw new RangeError(`ELB listener port ${port}`);
      listeners.set(id, {
        id,
        name: input.name,
        description: "",
        protocol: input.protocol ?? "HTTPS",
        protocol_port: port,
        default_tls_container_ref: input.defaultTlsContainerRef ?? null,
        sni_container_refs: input.sniContainerRefs ?? [],
        client_ca_tls_container_ref: input.clientCaTlsContainerRef ?? null,
        loadbalancers: (input.loadbalancerIds ?? [randomHexId()]).map((lb) => ({ id: lb })),
        admin_state_up: input.adminStateUp ?? true,
        project_id: projectId,
        enterprise_project_id: input.enterpriseProjectId ?? "0",
        tags: input.tags ?? [],
        created_at: formatIsoSeconds(deps.now()),
      });
      return id;
    },
    removeListener: (id) => listeners.delete(id),
    listListeners: (projectId) =>
      projectId === undefined ? [...listeners.values()].sort(byId) : ofProject(projectId),
  };

  const list = (ctx: RouteContext, projectId: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;

    const size = readElbPageSize(ctx, deps.maxLimit, deps.pageSizeCap);
    if ("reply" in size) return size.reply;
    const { pageSize } = size;

    const items = ofProject(projectId);
    const marker = ctx.query.get("marker");
    let start = 0;
    if (marker !== null) {
      const index = items.findIndex((item) => item.id === marker);
      const synthetic = syntheticMarkers.get(marker);
      if (index !== -1) start = index + 1;
      else if (synthetic?.projectId === projectId) start = synthetic.start;
      else {
        return elbError(
          400,
          "ELB.8902",
          `Invalid input for marker: listener ${marker} could not be found`,
          ctx.requestId,
        );
      }
    }

    const filters = FILTER_KEYS.flatMap((key) => {
      const values = ctx.query.getAll(key);
      return values.length === 0 ? [] : [{ key, values: new Set(values) }];
    });
    const matches = (item: ElbListenerInfo): boolean =>
      filters.every(({ key, values }) => values.has(item[key] ?? ""));

    if (ctx.fault?.kind === "pagination-endless" && start >= items.length) start = 0;
    const page: ElbListenerInfo[] = [];
    let more = false;
    for (let i = start; i < items.length; i++) {
      const item = items[i];
      if (item === undefined || !matches(item)) continue;
      if (page.length === pageSize) {
        more = true;
        break;
      }
      page.push(item);
    }

    const last = page.at(-1);
    const nextMarker = pagedMarker(ctx.fault, more ? last?.id : undefined, marker, last?.id, () => {
      const synthetic = randomHexId();
      const resumeAt = last === undefined ? 0 : items.indexOf(last) + 1;
      syntheticMarkers.set(synthetic, { projectId, start: resumeAt });
      return synthetic;
    });

    const pageInfo: Record<string, string | number> = {};
    const first = page[0];
    if (first !== undefined) pageInfo.previous_marker = first.id;
    pageInfo.current_count = page.length;
    if (nextMarker !== undefined) pageInfo.next_marker = nextMarker;
    const fresh = ctx.fault?.kind === "pagination-endless" && ctx.fault.fresh === true;
    const records = page.map((item) => (fresh ? { ...item, id: randomHexId() } : item));
    return rawJsonReply(
      200,
      JSON.stringify({ request_id: ctx.requestId, listeners: records, page_info: pageInfo }),
    );
  };

  return {
    control,
    clear: () => {
      listeners.clear();
      syntheticMarkers.clear();
    },
    list,
  };
}

/** The next_marker to print, after the paging faults (as for the certificate list). */
function pagedMarker(
  fault: FaultAction | undefined,
  nextMarker: string | undefined,
  requestMarker: string | null,
  lastOnPage: string | undefined,
  issueSynthetic: () => string,
): string | undefined {
  if (fault?.kind === "pagination-loop") return requestMarker ?? lastOnPage ?? nextMarker;
  if (fault?.kind === "pagination-endless") return issueSynthetic();
  return nextMarker;
}
