// The simulated Cloud Certificate Manager SSL certificate API (global; the API calls it SCM): the
// account's certificates with every status, `GET /v3/scm/certificates` with limit (10, 20 or 50)
// and offset paging to total_count, and `GET /v3/scm/certificates/{id}` details. AK/SK callers
// must name the account in X-Domain-Id; project-scoped tokens are refused. There is no export
// call: the exporter must never need one. Times are printed in a form the test chooses.
import { randomInt } from "node:crypto";
import { apigwError, faultBody, unauthorized } from "./errors.js";
import {
  formatChinaStandardTime,
  formatIsoSeconds,
  formatOffsetSeconds,
  formatSpaceSeconds,
} from "./formats.js";
import {
  jsonReply,
  neverEndingPage,
  readInteger,
  type Reply,
  type RouteContext,
  type ServiceDefinition,
} from "./http-kit.js";

/** How the details call prints not_before / not_after. */
export type CcmTimeFormat =
  /** `2045-11-17T13:25:47Z` */
  | "iso"
  /** `2045-11-17 13:25:47` (UTC, no zone marker) */
  | "space"
  /** `2045-11-17 13:25:47.0` (UTC, no zone marker) */
  | "space-fraction"
  /** `2045-11-17T21:25:47+08:00` */
  | "offset"
  /** epoch milliseconds as a JSON number */
  | "epoch-ms"
  /** epoch milliseconds as a string */
  | "epoch-ms-string";

export const CCM_TIME_FORMATS: readonly CcmTimeFormat[] = [
  "iso",
  "space",
  "space-fraction",
  "offset",
  "epoch-ms",
  "epoch-ms-string",
];

export interface CcmCertificateInput {
  /** Default: `scs` + 13 digits, like real ids. */
  readonly id?: string;
  readonly name: string;
  /** Default `ISSUED`. Printed as given (any value, known or not). */
  readonly status?: string;
  readonly domain?: string;
  /** One string, as the API writes it. Default "". */
  readonly sans?: string;
  /** Default `DV_SSL_CERT`. */
  readonly type?: string;
  /** Default `DIGICERT`. */
  readonly brand?: string;
  /** Default `SHA256WITHRSA`. */
  readonly signatureAlgorithm?: string;
  /** Epoch ms; undefined prints "" (not issued yet). */
  readonly notBefore?: number;
  readonly notAfter?: number;
  /** Default `iso`. */
  readonly timeFormat?: CcmTimeFormat;
  /** The list's expire_time, verbatim. Default: notAfter in UTC+8 with no zone (`… .0`). */
  readonly expireTime?: string;
  readonly enterpriseProjectId?: string;
  /** Extra wire fields merged into both the list entry and the details (shape tests). */
  readonly extraFields?: Readonly<Record<string, unknown>>;
}

export interface CcmControl {
  /** Adds a certificate; returns its id. */
  add(input: CcmCertificateInput): string;
  /** Replaces fields (a renewal changes notBefore/notAfter, and so expire_time). */
  update(id: string, patch: Partial<Omit<CcmCertificateInput, "id">>): void;
  remove(id: string): boolean;
  /** The details body of one certificate. */
  get(id: string): Readonly<Record<string, unknown>> | undefined;
  /** List entries in list order. */
  list(): readonly Readonly<Record<string, unknown>>[];
  clear(): void;
}

export const CCM_PAGE_LIMITS = [10, 20, 50] as const;

export interface CcmDeps {
  /** The account's id: what X-Domain-Id must say. */
  readonly domainId: string;
}

export function createCcm(deps: CcmDeps): { control: CcmControl; definition: ServiceDefinition } {
  const certificates = new Map<string, CcmCertificateInput & { readonly id: string }>();

  const printTime = (epochMs: number | undefined, format: CcmTimeFormat): string | number => {
    if (epochMs === undefined) return "";
    switch (format) {
      case "iso":
        return formatIsoSeconds(epochMs);
      case "space":
        return formatSpaceSeconds(epochMs);
      case "space-fraction":
        return `${formatSpaceSeconds(epochMs)}.0`;
      case "offset":
        return formatOffsetSeconds(epochMs);
      case "epoch-ms":
        return epochMs;
      case "epoch-ms-string":
        return String(epochMs);
    }
  };

  const listEntry = (input: CcmCertificateInput & { id: string }): Record<string, unknown> => ({
    id: input.id,
    name: input.name,
    domain: input.domain ?? "",
    sans: input.sans ?? "",
    signature_algorithm: input.signatureAlgorithm ?? "SHA256WITHRSA",
    deploy_support: true,
    type: input.type ?? "DV_SSL_CERT",
    brand: input.brand ?? "DIGICERT",
    expire_time:
      input.expireTime ??
      (input.notAfter === undefined ? "" : formatChinaStandardTime(input.notAfter)),
    domain_type: "SINGLE_DOMAIN",
    validity_period: 12,
    status: input.status ?? "ISSUED",
    domain_count: 1,
    wildcard_count: 0,
    description: null,
    enterprise_project_id: input.enterpriseProjectId ?? "0",
    ...input.extraFields,
  });

  const details = (input: CcmCertificateInput & { id: string }): Record<string, unknown> => {
    const format = input.timeFormat ?? "iso";
    return {
      id: input.id,
      status: input.status ?? "ISSUED",
      order_id: `CS${input.id.slice(3)}`,
      name: input.name,
      type: input.type ?? "DV_SSL_CERT",
      brand: input.brand ?? "DIGICERT",
      push_support: "ON",
      revoke_reason: "",
      signature_algorithm: input.signatureAlgorithm ?? "SHA256WITHRSA",
      issue_time: printTime(input.notBefore, format),
      not_before: printTime(input.notBefore, format),
      not_after: printTime(input.notAfter, format),
      validity_period: 12,
      validation_method: "DNS",
      domain_type: "SINGLE_DOMAIN",
      domain: input.domain ?? "",
      sans: input.sans ?? "",
      domain_count: 1,
      wildcard_count: 0,
      authentification: [],
      enterprise_project_id: input.enterpriseProjectId ?? "0",
      ...input.extraFields,
    };
  };

  const control: CcmControl = {
    add(input) {
      const id =
        input.id ??
        `scs${String(Date.now()).slice(0, 7)}${String(randomInt(1e6)).padStart(6, "0")}`;
      if (certificates.has(id)) throw new Error(`CCM certificate ${id} already exists`);
      certificates.set(id, { ...input, id });
      return id;
    },
    update(id, patch) {
      const previous = certificates.get(id);
      if (previous === undefined) throw new Error(`CCM certificate ${id} does not exist`);
      // A new validity without a new expire_time gets the derived one, as the real list would.
      const derived =
        patch.notAfter !== undefined && patch.expireTime === undefined
          ? { expireTime: undefined }
          : {};
      certificates.set(id, { ...previous, ...derived, ...patch, id });
    },
    remove: (id) => certificates.delete(id),
    get(id) {
      const input = certificates.get(id);
      return input === undefined ? undefined : details(input);
    },
    list: () => [...certificates.values()].map(listEntry),
    clear() {
      certificates.clear();
    },
  };

  const scmError = (status: number, code: string, message: string): Reply =>
    jsonReply(status, { error_code: code, error_msg: message });

  /** Credentials valid; AK/SK must name this account; tokens must not be project-scoped. */
  const guardAccount = (ctx: RouteContext): Reply | undefined => {
    const outcome = ctx.authenticate();
    if (!outcome.ok) return unauthorized(ctx.requestId, outcome.message);
    const { principal } = outcome;
    if (principal.kind === "access-key") {
      if (principal.scope.kind !== "domain" || principal.scope.domainId !== deps.domainId) {
        return unauthorized(
          ctx.requestId,
          "a global service needs X-Domain-Id naming the account of the access key",
        );
      }
      return undefined;
    }
    if (principal.scope.kind === "project") {
      return apigwError(
        403,
        ctx.requestId,
        "The IAM or ACL authentication failed: a project-scoped token is not valid for a global service",
      );
    }
    return undefined;
  };

  const listCertificates = (ctx: RouteContext): Reply => {
    const denied = guardAccount(ctx);
    if (denied !== undefined) return denied;
    const limit = readInteger(ctx.query.get("limit"), 10);
    if (limit === undefined || !CCM_PAGE_LIMITS.some((allowed) => allowed === limit)) {
      return scmError(400, "SCM.0001", "Invalid parameter: limit must be 10, 20 or 50");
    }
    const offset = readInteger(ctx.query.get("offset"), 0);
    if (offset === undefined) {
      return scmError(400, "SCM.0001", "Invalid parameter: offset must be an integer >= 0");
    }
    const status = ctx.query.get("status");
    const items = [...certificates.values()]
      .filter((item) => status === null || status === "ALL" || (item.status ?? "ISSUED") === status)
      .map(listEntry);
    const fault = ctx.fault;
    if (fault?.kind === "pagination-loop" || fault?.kind === "pagination-endless") {
      const page = neverEndingPage(
        items,
        fault,
        offset,
        limit,
        (item) => item,
        () => `scs${String(randomInt(1e12)).padStart(13, "0")}`,
      );
      return jsonReply(200, { certificates: page, total_count: offset + page.length + limit });
    }
    return jsonReply(200, {
      certificates: items.slice(offset, offset + limit),
      total_count: items.length,
    });
  };

  const showCertificate = (ctx: RouteContext, id: string): Reply => {
    const denied = guardAccount(ctx);
    if (denied !== undefined) return denied;
    const input = certificates.get(id);
    if (input === undefined) return scmError(404, "SCM.0404", `Certificate ${id} does not exist`);
    return jsonReply(200, details(input));
  };

  const definition: ServiceDefinition = {
    service: "ccm",
    route(method, segments) {
      if (method !== "GET" || segments[0] !== "v3" || segments[1] !== "scm") return undefined;
      if (segments[2] !== "certificates") return undefined;
      if (segments.length === 3) {
        return { operation: "ccm.listCertificates", handle: listCertificates };
      }
      const id = segments[3];
      if (segments.length === 4 && id !== undefined) {
        return { operation: "ccm.showCertificate", handle: (ctx) => showCertificate(ctx, id) };
      }
      return undefined;
    },
    notFound: (requestId) => faultBody(404, requestId, "apigw", "apigw"),
    faultBody: (status, requestId, body) => faultBody(status, requestId, body, "apigw"),
  };

  return { control, definition };
}
