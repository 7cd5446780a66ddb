// The simulated ELB v3 certificate API: an in-memory store per project kept sorted by id, with
// each record's JSON cached so a page is a slice plus a string join (10,000 certificates stay
// cheap). Marker paging with a server-side page cap, repeatable filters, details, ELB error bodies.
import { X509Certificate } from "node:crypto";
import { readElbPageSize } from "./elb-limit.js";
import { elbError, faultBody } from "./errors.js";
import type { FaultAction } from "./faults.js";
import { formatIsoSeconds, formatSpaceSeconds } from "./formats.js";
import { rawJsonReply, type Reply, type RouteContext, type ServiceDefinition } from "./http-kit.js";
import { createElbListeners, type ElbListenerControl } from "./elb-listeners.js";
import { guardProject, randomHexId, type ProjectControl } from "./projects.js";

/** CertificateInfo exactly as the API returns it. */
export interface ElbCertificateInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly type: "server" | "client";
  readonly domain: string | null;
  readonly certificate: string;
  readonly private_key: string;
  readonly expire_time: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly project_id: string;
  readonly admin_state_up: boolean;
  readonly source: string;
  readonly scm_certificate_id: string;
  readonly common_name: string;
  readonly fingerprint: string;
  readonly subject_alternative_names: readonly string[];
  readonly protection_status: string;
  readonly enterprise_project_id: string;
}

export interface ElbCertificateInput {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly type?: "server" | "client";
  /** Default: the leaf's DNS SANs (or CN) joined by "," for server certificates, null for client. */
  readonly domain?: string | null;
  /** PEM text stored and echoed as given (multi-line, one-line, chain, or broken). */
  readonly certificate: string;
  /** Default for server certificates: the simulator's generated echo key (sim.elb.echoedPrivateKeyPem). */
  readonly privateKey?: string;
  /** Printed verbatim. Default: the leaf's notAfter in `expireTimeFormat`; required for unparseable PEM. */
  readonly expireTime?: string;
  readonly expireTimeFormat?: "iso" | "space";
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly projectId?: string;
  readonly adminStateUp?: boolean;
  readonly source?: "" | "scm";
  readonly scmCertificateId?: string;
  /** Defaults for the next three are read from the leaf (empty when it does not parse). */
  readonly commonName?: string;
  readonly fingerprint?: string;
  readonly subjectAlternativeNames?: readonly string[];
  readonly protectionStatus?: string;
  readonly enterpriseProjectId?: string;
}

export interface ElbControl extends ElbListenerControl {
  /** Stores a certificate; returns its id (32 hex chars unless given). */
  add(input: ElbCertificateInput): string;
  remove(id: string): boolean;
  /** Replaces fields; derived fields are recomputed only when `certificate` changes. */
  update(id: string, patch: Partial<ElbCertificateInput>): void;
  get(id: string): ElbCertificateInfo | undefined;
  /** All certificates (or one project's), sorted by id, as the API would print them. */
  list(projectId?: string): readonly ElbCertificateInfo[];
  /** Removes every certificate and listener. */
  clear(): void;
  /** The private key every server certificate echoes unless given one: search for it in leak tests. */
  readonly echoedPrivateKeyPem: string;
}

interface StoredCertificate {
  readonly input: ElbCertificateInput;
  readonly info: ElbCertificateInfo;
  json: string | undefined;
}

interface ProjectView {
  items: StoredCertificate[];
  index: Map<string, number>;
  dirty: boolean;
}

export const ELB_MAX_LIMIT = 2000;
const FILTER_KEYS = [
  "id",
  "name",
  "type",
  "domain",
  "enterprise_project_id",
  "source",
  "scm_certificate_id",
  "description",
] as const;

export interface ElbDeps {
  readonly projects: ProjectControl;
  readonly defaultProjectId: string;
  readonly now: () => number;
  readonly pageSizeCap: number;
  readonly echoedPrivateKeyPem: string;
}

export function createElb(deps: ElbDeps): { control: ElbControl; definition: ServiceDefinition } {
  const byId = new Map<string, StoredCertificate>();
  const views = new Map<string, ProjectView>();
  /** Markers handed out by the pagination-endless fault: marker → where the next page starts. */
  const syntheticMarkers = new Map<string, { projectId: string; start: number }>();

  const listeners = createElbListeners({
    projects: deps.projects,
    defaultProjectId: deps.defaultProjectId,
    now: deps.now,
    pageSizeCap: deps.pageSizeCap,
    maxLimit: ELB_MAX_LIMIT,
  });

  const viewOf = (projectId: string): ProjectView => {
    let view = views.get(projectId);
    if (view === undefined) {
      view = { items: [], index: new Map(), dirty: false };
      views.set(projectId, view);
    }
    if (view.dirty) {
      view.items.sort((a, b) => (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0));
      view.index = new Map(view.items.map((item, i) => [item.info.id, i]));
      view.dirty = false;
    }
    return view;
  };

  const store = (stored: StoredCertificate): void => {
    byId.set(stored.info.id, stored);
    let view = views.get(stored.info.project_id);
    if (view === undefined) {
      view = { items: [], index: new Map(), dirty: true };
      views.set(stored.info.project_id, view);
    }
    view.items.push(stored);
    view.dirty = true;
  };

  const unstore = (id: string): StoredCertificate | undefined => {
    const stored = byId.get(id);
    if (stored === undefined) return undefined;
    byId.delete(id);
    const view = views.get(stored.info.project_id);
    if (view !== undefined) {
      view.items = view.items.filter((item) => item !== stored);
      view.dirty = true;
    }
    return stored;
  };

  const build = (input: ElbCertificateInput, id: string): StoredCertificate => {
    const projectId = input.projectId ?? deps.defaultProjectId;
    if (deps.projects.get(projectId) === undefined) {
      throw new Error(`ELB certificate ${input.name}: unknown project ${projectId}`);
    }
    const type = input.type ?? "server";
    const leaf = describeLeaf(input.certificate);
    let expireTime = input.expireTime;
    if (expireTime === undefined) {
      if (leaf === undefined) {
        throw new Error(
          `ELB certificate ${input.name}: its PEM does not parse, so pass expireTime explicitly`,
        );
      }
      expireTime =
        input.expireTimeFormat === "space"
          ? formatSpaceSeconds(leaf.notAfter)
          : formatIsoSeconds(leaf.notAfter);
    }
    const createdAt = input.createdAt ?? formatIsoSeconds(deps.now());
    const defaultDomain =
      type === "client" || leaf === undefined
        ? null
        : (leaf.dnsNames.length > 0 ? leaf.dnsNames : [leaf.commonName]).join(",");
    const info: ElbCertificateInfo = {
      id,
      name: input.name,
      description: input.description ?? "",
      type,
      domain: input.domain === undefined ? defaultDomain : input.domain,
      certificate: input.certificate,
      private_key: type === "server" ? (input.privateKey ?? deps.echoedPrivateKeyPem) : "",
      expire_time: expireTime,
      created_at: createdAt,
      updated_at: input.updatedAt ?? createdAt,
      project_id: projectId,
      admin_state_up: input.adminStateUp ?? true,
      source: input.source ?? "",
      scm_certificate_id: input.scmCertificateId ?? "",
      common_name: input.commonName ?? leaf?.commonName ?? "",
      fingerprint: input.fingerprint ?? leaf?.fingerprint ?? "",
      subject_alternative_names: input.subjectAlternativeNames ?? leaf?.sans ?? [],
      protection_status: input.protectionStatus ?? "nonProtection",
      enterprise_project_id: input.enterpriseProjectId ?? "0",
    };
    return { input, info, json: undefined };
  };

  const control: ElbControl = {
    ...listeners.control,
    echoedPrivateKeyPem: deps.echoedPrivateKeyPem,
    add(input) {
      const id = input.id ?? randomHexId();
      if (byId.has(id)) throw new Error(`ELB certificate ${id} already exists`);
      store(build(input, id));
      return id;
    },
    remove(id) {
      return unstore(id) !== undefined;
    },
    update(id, patch) {
      const previous = byId.get(id);
      if (previous === undefined) throw new Error(`ELB certificate ${id} does not exist`);
      const merged: ElbCertificateInput = {
        ...previous.input,
        // Keep the stored times unless the patch sets them.
        createdAt: previous.info.created_at,
        expireTime: patch.certificate === undefined ? previous.info.expire_time : undefined,
        ...patch,
        updatedAt: patch.updatedAt ?? formatIsoSeconds(deps.now()),
      };
      const next = build(merged, id);
      unstore(id);
      store(next);
    },
    get: (id) => byId.get(id)?.info,
    list(projectId) {
      if (projectId !== undefined) return viewOf(projectId).items.map((item) => item.info);
      const all: ElbCertificateInfo[] = [];
      for (const project of views.keys()) {
        for (const item of viewOf(project).items) all.push(item.info);
      }
      return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    clear() {
      byId.clear();
      views.clear();
      syntheticMarkers.clear();
      listeners.clear();
    },
  };

  const jsonOf = (stored: StoredCertificate): string =>
    (stored.json ??= JSON.stringify(stored.info));

  const listCertificates = (ctx: RouteContext, projectId: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;

    const size = readElbPageSize(ctx, ELB_MAX_LIMIT, deps.pageSizeCap);
    if ("reply" in size) return size.reply;
    const { pageSize } = size;

    const view = viewOf(projectId);
    const marker = ctx.query.get("marker");
    let start = 0;
    if (marker !== null) {
      const index = view.index.get(marker);
      const synthetic = syntheticMarkers.get(marker);
      if (index !== undefined) start = index + 1;
      else if (synthetic?.projectId === projectId) start = synthetic.start;
      else {
        return elbError(
          400,
          "ELB.8902",
          `Invalid input for marker: certificate ${marker} could not be found`,
          ctx.requestId,
        );
      }
    }

    const filters = readFilters(ctx.query);
    const page: StoredCertificate[] = [];
    let more = false;
    const items = view.items;
    if (ctx.fault?.kind === "pagination-endless" && start >= items.length) start = 0;
    for (let i = start; i < items.length; i++) {
      const item = items[i];
      if (item === undefined || (filters !== undefined && !matchesFilters(item.info, filters))) {
        continue;
      }
      if (page.length === pageSize) {
        more = true;
        break;
      }
      page.push(item);
    }

    let nextMarker = more ? page.at(-1)?.info.id : undefined;
    nextMarker = applyPaginationFault(ctx.fault, nextMarker, {
      requestMarker: marker,
      lastOnPage: page.at(-1)?.info.id,
      issueSynthetic: () => {
        const synthetic = randomHexId();
        const last = page.at(-1);
        const resumeAt = last === undefined ? 0 : (view.index.get(last.info.id) ?? 0) + 1;
        syntheticMarkers.set(synthetic, { projectId, start: resumeAt });
        return synthetic;
      },
    });

    const pageInfo: Record<string, string | number> = {};
    const first = page[0];
    if (first !== undefined) pageInfo.previous_marker = first.info.id;
    pageInfo.current_count = page.length;
    if (nextMarker !== undefined) pageInfo.next_marker = nextMarker;
    // pagination-endless with `fresh`: the same records under ids no client has seen before.
    const fresh = ctx.fault?.kind === "pagination-endless" && ctx.fault.fresh === true;
    const records = page.map((item) =>
      fresh ? JSON.stringify({ ...item.info, id: randomHexId() }) : jsonOf(item),
    );
    return rawJsonReply(
      200,
      `{"request_id":${JSON.stringify(ctx.requestId)},"certificates":[${records.join(",")}],` +
        `"page_info":${JSON.stringify(pageInfo)}}`,
    );
  };

  const showCertificate = (ctx: RouteContext, projectId: string, id: string): Reply => {
    const denied = guardProject(ctx, deps.projects, projectId);
    if (denied !== undefined) return denied;
    const stored = byId.get(id);
    if (stored?.info.project_id !== projectId) {
      return elbError(404, "ELB.8904", `Certificate ${id} could not be found.`, ctx.requestId);
    }
    return rawJsonReply(
      200,
      `{"request_id":${JSON.stringify(ctx.requestId)},"certificate":${jsonOf(stored)}}`,
    );
  };

  const definition: ServiceDefinition = {
    service: "elb",
    route(method, segments) {
      // /v3/{project_id}/elb/certificates[/{certificate_id}], /v3/{project_id}/elb/listeners
      if (method !== "GET" || segments[0] !== "v3" || segments[2] !== "elb") return undefined;
      const projectId = segments[1] ?? "";
      if (segments[3] === "listeners" && segments.length === 4) {
        return {
          operation: "elb.listListeners",
          handle: (ctx) => listeners.list(ctx, projectId),
        };
      }
      if (segments[3] !== "certificates") return undefined;
      if (segments.length === 4) {
        return {
          operation: "elb.listCertificates",
          handle: (ctx) => listCertificates(ctx, projectId),
        };
      }
      const id = segments[4];
      if (segments.length === 5 && id !== undefined) {
        return {
          operation: "elb.showCertificate",
          handle: (ctx) => showCertificate(ctx, projectId, id),
        };
      }
      return undefined;
    },
    notFound: (requestId) => faultBody(404, requestId, "apigw", "apigw"),
    faultBody: (status, requestId, body) => faultBody(status, requestId, body, "apigw"),
  };

  return { control, definition };
}

type Filters = ReadonlyMap<(typeof FILTER_KEYS)[number], ReadonlySet<string>>;

function readFilters(query: URLSearchParams): Filters | undefined {
  let filters: Map<(typeof FILTER_KEYS)[number], Set<string>> | undefined;
  for (const key of FILTER_KEYS) {
    const values = query.getAll(key);
    if (values.length === 0) continue;
    filters ??= new Map();
    filters.set(key, new Set(values));
  }
  return filters;
}

function matchesFilters(info: ElbCertificateInfo, filters: Filters): boolean {
  for (const [key, values] of filters) {
    const value = info[key];
    if (value === null || !values.has(value)) return false;
  }
  return true;
}

function applyPaginationFault(
  fault: FaultAction | undefined,
  nextMarker: string | undefined,
  page: {
    requestMarker: string | null;
    lastOnPage: string | undefined;
    issueSynthetic: () => string;
  },
): string | undefined {
  if (fault?.kind === "pagination-loop") {
    // Point back at the page just served: a client that trusts next_marker never finishes.
    return page.requestMarker ?? page.lastOnPage ?? nextMarker;
  }
  if (fault?.kind === "pagination-endless") return page.issueSynthetic();
  return nextMarker;
}

interface LeafFacts {
  readonly notAfter: number;
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly sans: readonly string[];
  readonly fingerprint: string;
}

const FIRST_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/** What the real API derives from an upload: the first certificate's facts, or undefined. */
function describeLeaf(pem: string): LeafFacts | undefined {
  const body = FIRST_CERTIFICATE.exec(pem)?.[1];
  if (body === undefined) return undefined;
  const base64 = body.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  try {
    // node:crypto (OpenSSL) rather than @peculiar/x509: about 25 times faster, which matters when
    // a benchmark stores 10,000 certificates.
    const certificate = new X509Certificate(Buffer.from(base64, "base64"));
    const names = (certificate.subjectAltName ?? "")
      .split(", ")
      .filter((entry) => entry !== "")
      .map((entry) => {
        const colon = entry.indexOf(":");
        return { type: entry.slice(0, colon), value: entry.slice(colon + 1) };
      });
    const commonName =
      certificate.subject
        .split("\n")
        .find((line) => line.startsWith("CN="))
        ?.slice(3) ?? "";
    return {
      notAfter: certificate.validToDate.getTime(),
      commonName,
      dnsNames: names.filter((name) => name.type === "DNS").map((name) => name.value),
      sans: names.map((name) => name.value),
      fingerprint: certificate.fingerprint256,
    };
  } catch {
    return undefined;
  }
}
