// The simulated GeminiDB (GaussDB NoSQL) v3 API: instances per project with cached JSON and
// offset/limit pages, and the SSL CA download-link call, whose links are pre-signed URLs on the
// simulated OBS server. The CA bytes are whatever the test passes; nothing here parses them.
import { randomBytes } from "node:crypto";
import { faultBody } from "./errors.js";
import { formatIsoSeconds } from "./formats.js";
import {
  jsonReply,
  neverEndingPage,
  rawJsonReply,
  readInteger,
  type Reply,
  type RouteContext,
  type ServiceDefinition,
} from "./http-kit.js";
import type { ObsControl, ObsObjectOptions } from "./obs.js";
import { guardProject, type ProjectControl } from "./projects.js";

export type DatastoreType = "cassandra" | "mongodb" | "influxdb" | "redis";

export interface GeminiDbInstanceInput {
  /** Default: 32 hex chars + `in` + a two-digit engine code, like real ids. */
  readonly id?: string;
  readonly name: string;
  /** Default `normal`. */
  readonly status?: string;
  /** Default `{ type: "cassandra", version: "3.11" }`; type is printed as given (any case). */
  readonly datastore?: { readonly type: string; readonly version: string };
  /** Default `Cluster`. */
  readonly mode?: string;
  /** Default: the simulator's region. */
  readonly region?: string;
  readonly enterpriseProjectId?: string;
  /** `"0"` off, `"1"` on; omitted from the JSON when undefined (older API versions). */
  readonly ssl?: "0" | "1";
  readonly ccmCertInfo?: { readonly certId: string; readonly certType: string };
  readonly projectId?: string;
  /** Served by `GET …/instances/{id}/tags` only (the list does not print tags). */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
  /** Serve this CA file through the download link (same as setCaFile afterwards). */
  readonly caFile?: { readonly bytes: Uint8Array | string; readonly options?: CaFileOptions };
  /** Extra wire fields merged into the instance JSON (shape tests). */
  readonly extraFields?: Readonly<Record<string, unknown>>;
}

export interface CaFileOptions extends ObsObjectOptions {
  /** Last part of the object key. Default `ca.crt`. */
  readonly fileName?: string;
  /** One `certs` entry per category, all pointing at the file. Default `["international"]`. */
  readonly categories?: readonly string[];
  /** Use this string verbatim as download_link (hostile links, other hosts, non-HTTP schemes). */
  readonly linkOverride?: string;
  /** Lifetime of issued links. Default 600; negative issues links that have already expired. */
  readonly linkTtlSeconds?: number;
}

export interface DownloadLinkError {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
}

export interface GeminiDbControl {
  addInstance(input: GeminiDbInstanceInput): string;
  removeInstance(id: string): boolean;
  updateInstance(id: string, patch: Partial<Omit<GeminiDbInstanceInput, "id" | "caFile">>): void;
  /** Stores the CA bytes in the simulated bucket; the download-link call starts returning links. */
  setCaFile(instanceId: string, bytes: Uint8Array | string, options?: CaFileOptions): void;
  /** The download-link call returns `{certs: []}` again. */
  removeCaFile(instanceId: string): void;
  /** Make the download-link call itself fail for this instance (undefined: stop failing). */
  setDownloadLinkError(instanceId: string, error: DownloadLinkError | undefined): void;
  listInstances(projectId?: string): readonly Readonly<Record<string, unknown>>[];
  /** Where the CA file lives in the simulated bucket (for direct OBS tests). */
  caObjectLocation(instanceId: string): { bucket: string; key: string } | undefined;
  clear(): void;
}

export const GEMINIDB_MAX_LIMIT = 100;
export const CA_BUCKET = "gaussdb-nosql-ssl-certs";

const ENGINE_CODES: Readonly<Record<string, string>> = {
  cassandra: "in06",
  mongodb: "in02",
  influxdb: "in13",
  redis: "in12",
};

interface StoredInstance {
  readonly input: GeminiDbInstanceInput;
  readonly projectId: string;
  readonly wire: Readonly<Record<string, unknown>>;
  json: string | undefined;
  ca: { key: string; options: CaFileOptions } | undefined;
  linkError: DownloadLinkError | undefined;
}

export interface GeminiDbDeps {
  readonly projects: ProjectControl;
  readonly defaultProjectId: string;
  readonly region: string;
  readonly now: () => number;
  readonly pageSizeCap: number;
  readonly obs: ObsControl;
}

export function createGeminiDb(deps: GeminiDbDeps): {
  control: GeminiDbControl;
  definition: ServiceDefinition;
} {
  const byId = new Map<string, StoredInstance>();
  /** Per project, in insertion order (the order pages are cut in). */
  const ordered = new Map<string, StoredInstance[]>();

  const toWire = (
    input: GeminiDbInstanceInput,
    id: string,
    created: string,
  ): Record<string, unknown> => {
    const datastore = input.datastore ?? { type: "cassandra", version: "3.11" };
    const wire: Record<string, unknown> = {
      id,
      name: input.name,
      status: input.status ?? "normal",
      port: "8635",
      mode: input.mode ?? "Cluster",
      region: input.region ?? deps.region,
      datastore: {
        type: datastore.type,
        version: datastore.version,
        storage_engine: "rocksDB",
        patch_available: false,
      },
      engine: "rocksDB",
      created,
      updated: created,
      db_user_name: "rwuser",
      vpc_id: "674e9b42-cd8d-4d25-a2e6-5abcc565b961",
      subnet_id: "f1df08c5-71d1-406a-aff0-de435a51007b",
      security_group_id: "7aa51dbf-5b63-40db-9724-dad3c4828b58",
      backup_strategy: { start_time: "19:00-20:00", keep_days: 7 },
      pay_mode: "0",
      maintenance_window: "02:00-06:00",
      groups: [],
      enterprise_project_id: input.enterpriseProjectId ?? "0",
      time_zone: "",
      actions: [],
    };
    if (input.ssl !== undefined) wire.ssl = input.ssl;
    if (input.ccmCertInfo !== undefined) {
      wire.ccm_cert_info = {
        cert_id: input.ccmCertInfo.certId,
        cert_type: input.ccmCertInfo.certType,
      };
    }
    return { ...wire, ...input.extraFields };
  };

  const mustGet = (id: string): StoredInstance => {
    const stored = byId.get(id);
    if (stored === undefined) throw new Error(`GeminiDB instance ${id} does not exist`);
    return stored;
  };

  const control: GeminiDbControl = {
    addInstance(input) {
      const engine = (input.datastore?.type ?? "cassandra").toLowerCase();
      const id = input.id ?? `${randomBytes(16).toString("hex")}${ENGINE_CODES[engine] ?? "in06"}`;
      if (byId.has(id)) throw new Error(`GeminiDB instance ${id} already exists`);
      const projectId = input.projectId ?? deps.defaultProjectId;
      if (deps.projects.get(projectId) === undefined) {
        throw new Error(`GeminiDB instance ${input.name}: unknown project ${projectId}`);
      }
      const stored: StoredInstance = {
        input,
        projectId,
        wire: toWire(input, id, formatIsoSeconds(deps.now())),
        json: undefined,
        ca: undefined,
        linkError: undefined,
      };
      byId.set(id, stored);
      const list = ordered.get(projectId) ?? [];
      list.push(stored);
      ordered.set(projectId, list);
      if (input.caFile !== undefined)
        control.setCaFile(id, input.caFile.bytes, input.caFile.options);
      return id;
    },
    removeInstance(id) {
      const stored = byId.get(id);
      if (stored === undefined) return false;
      control.removeCaFile(id);
      byId.delete(id);
      const list = ordered.get(stored.projectId) ?? [];
      ordered.set(
        stored.projectId,
        list.filter((item) => item !== stored),
      );
      return true;
    },
    updateInstance(id, patch) {
      const previous = mustGet(id);
      const input = { ...previous.input, ...patch };
      const created = String(previous.wire.created);
      const next: StoredInstance = {
        ...previous,
        input,
        wire: { ...toWire(input, id, created), updated: formatIsoSeconds(deps.now()) },
        json: undefined,
      };
      byId.set(id, next);
      const list = ordered.get(previous.projectId) ?? [];
      ordered.set(
        previous.projectId,
        list.map((item) => (item === previous ? next : item)),
      );
    },
    setCaFile(instanceId, bytes, options = {}) {
      const stored = mustGet(instanceId);
      if (stored.ca !== undefined) deps.obs.delete(CA_BUCKET, stored.ca.key);
      const key = `${instanceId}/${options.fileName ?? "ca.crt"}`;
      deps.obs.put(CA_BUCKET, key, bytes, options);
      stored.ca = { key, options };
    },
    removeCaFile(instanceId) {
      const stored = mustGet(instanceId);
      if (stored.ca !== undefined) deps.obs.delete(CA_BUCKET, stored.ca.key);
      stored.ca = undefined;
    },
    setDownloadLinkError(instanceId, error) {
      mustGet(instanceId).linkError = error;
    },
    listInstances(projectId) {
      if (projectId !== undefined) return (ordered.get(projectId) ?? []).map((item) => item.wire);
      return [...ordered.values()].flat().map((item) => item.wire);
    },
    caObjectLocation(instanceId) {
      const ca = byId.get(instanceId)?.ca;
      return ca === undefined ? undefined : { bucket: CA_BUCKET, key: ca.key };
    },
    clear() {
      for (const id of [...byId.keys()]) control.removeInstance(id);
    },
  };

  const dbsError = (status: number, code: string, message: string): Reply =>
    jsonReply(status, { error_code: code, error_msg: message });

  const listInstances = (ctx: RouteContext, projectId: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;
    const offset = readInteger(ctx.query.get("offset"), 0);
    if (offset === undefined || offset < 0) {
      return dbsError(400, "DBS.200001", "Invalid parameter: offset must be an integer >= 0");
    }
    const limit = readInteger(ctx.query.get("limit"), GEMINIDB_MAX_LIMIT);
    if (limit === undefined || limit < 1 || limit > GEMINIDB_MAX_LIMIT) {
      return dbsError(
        400,
        "DBS.200001",
        `Invalid parameter: limit must be 1 to ${GEMINIDB_MAX_LIMIT}`,
      );
    }
    let items = ordered.get(projectId) ?? [];
    const id = ctx.query.get("id");
    const name = ctx.query.get("name");
    const mode = ctx.query.get("mode");
    const datastoreType = ctx.query.get("datastore_type");
    if (id !== null || name !== null || mode !== null || datastoreType !== null) {
      items = items.filter(
        (item) =>
          (id === null || item.wire.id === id) &&
          (name === null || item.input.name === name) &&
          (mode === null || item.wire.mode === mode) &&
          (datastoreType === null ||
            (item.input.datastore?.type ?? "cassandra").toLowerCase() ===
              datastoreType.toLowerCase()),
      );
    }
    const size = Math.min(limit, deps.pageSizeCap);
    const fault = ctx.fault;
    if (fault?.kind === "pagination-loop" || fault?.kind === "pagination-endless") {
      const page = neverEndingPage(
        items,
        fault,
        offset,
        size,
        (item) => item.wire,
        () => `${randomBytes(16).toString("hex")}in06`,
      );
      const total = offset + page.length + size;
      return rawJsonReply(200, JSON.stringify({ instances: page, total_count: total }));
    }
    const page = items.slice(offset, offset + size);
    const body = page.map((item) => (item.json ??= JSON.stringify(item.wire))).join(",");
    return rawJsonReply(200, `{"instances":[${body}],"total_count":${items.length}}`);
  };

  const showDownloadLink = (ctx: RouteContext, projectId: string, instanceId: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;
    const stored = byId.get(instanceId);
    if (stored?.projectId !== projectId) {
      return dbsError(404, "DBS.200823", `The DB instance ${instanceId} does not exist.`);
    }
    if (stored.linkError !== undefined) {
      const { status, code, message } = stored.linkError;
      return dbsError(status, code ?? "DBS.280001", message ?? "Simulated download-link failure");
    }
    const ca = stored.ca;
    if (ca === undefined) return jsonReply(200, { certs: [] });
    const link =
      ca.options.linkOverride ??
      deps.obs.presign(CA_BUCKET, ca.key, ca.options.linkTtlSeconds ?? 600);
    const categories = ca.options.categories ?? ["international"];
    return jsonReply(200, {
      certs: categories.map((category) => ({ category, download_link: link })),
    });
  };

  const listTags = (ctx: RouteContext, projectId: string, instanceId: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;
    const stored = byId.get(instanceId);
    if (stored?.projectId !== projectId) {
      return dbsError(404, "DBS.200823", `The DB instance ${instanceId} does not exist.`);
    }
    return jsonReply(200, { tags: stored.input.tags ?? [] });
  };

  const definition: ServiceDefinition = {
    service: "geminidb",
    route(method, segments) {
      // /v3/{project_id}/instances[/{instance_id}/ssl-cert/download-link | /{instance_id}/tags]
      if (method !== "GET" || segments[0] !== "v3" || segments[2] !== "instances") return undefined;
      const projectId = segments[1] ?? "";
      if (segments.length === 3) {
        return {
          operation: "geminidb.listInstances",
          handle: (ctx) => listInstances(ctx, projectId),
        };
      }
      const instanceId = segments[3];
      if (
        segments.length === 6 &&
        instanceId !== undefined &&
        segments[4] === "ssl-cert" &&
        segments[5] === "download-link"
      ) {
        return {
          operation: "geminidb.showDownloadLink",
          handle: (ctx) => showDownloadLink(ctx, projectId, instanceId),
        };
      }
      if (segments.length === 5 && instanceId !== undefined && segments[4] === "tags") {
        return {
          operation: "geminidb.listInstanceTags",
          handle: (ctx) => listTags(ctx, projectId, instanceId),
        };
      }
      return undefined;
    },
    notFound: (requestId) => faultBody(404, requestId, "apigw", "apigw"),
    faultBody: (status, requestId, body) => faultBody(status, requestId, body, "apigw"),
  };

  return { control, definition };
}
