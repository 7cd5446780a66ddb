// ELB v3 listener API: the listeners of a project, with the certificate ids each one references
// (default, SNI, client CA). Marker paging and its guards are those of the certificate list.
// An unset reference arrives as null or "" (both seen in the wild): both become null here.

import { z } from "zod";
import type { ElbApiContext } from "./api.js";
import type { ShapeProblemHandler } from "../../cloud/page-entries.js";
import { ELB_PAGE_LIMIT, listElbPages } from "./paging.js";
import { readTags, type ResourceTag } from "../../cloud/tags.js";

export interface ElbListener {
  readonly id: string;
  readonly name: string;
  /** `HTTPS`, `TERMINATED_HTTPS`, `TLS`, `HTTP`, `TCP`, … as the API says. */
  readonly protocol: string;
  /** null when the API did not say. */
  readonly port: number | null;
  readonly defaultCertificateId: string | null;
  readonly sniCertificateIds: readonly string[];
  readonly clientCaCertificateId: string | null;
  readonly loadBalancerIds: readonly string[];
  /** The listener's tags; malformed entries left out. */
  readonly tags: readonly ResourceTag[];
}

const reference = z.string().nullish();

const listenerSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  protocol: z.string().nullish(),
  protocol_port: z.number().int().nullish(),
  default_tls_container_ref: reference,
  sni_container_refs: z.array(z.string()).nullish(),
  client_ca_tls_container_ref: reference,
  loadbalancers: z.array(z.object({ id: z.string() })).nullish(),
  tags: z.unknown(),
});

function toListener(info: z.infer<typeof listenerSchema>): ElbListener {
  return {
    id: info.id,
    name: info.name ?? "",
    protocol: info.protocol ?? "",
    port: info.protocol_port ?? null,
    defaultCertificateId: info.default_tls_container_ref || null,
    sniCertificateIds: (info.sni_container_refs ?? []).filter((id) => id !== ""),
    clientCaCertificateId: info.client_ca_tls_container_ref || null,
    loadBalancerIds: (info.loadbalancers ?? []).map((balancer) => balancer.id),
    tags: readTags(info.tags),
  };
}

/**
 * Every listener of the project, page by page. A failure on any page throws; the caller must
 * then treat the whole listing as failed (a partial list would make bound certificates look
 * unused).
 */
export function listElbListenerPages(
  context: ElbApiContext,
  onShapeProblem: ShapeProblemHandler,
): AsyncGenerator<ElbListener[], void, undefined> {
  return listElbPages(
    context,
    {
      operation: "list_listeners",
      collection: "listeners",
      noun: "listeners",
      entrySchema: listenerSchema,
      toValue: toListener,
      pageLimit: ELB_PAGE_LIMIT,
    },
    onShapeProblem,
  );
}
