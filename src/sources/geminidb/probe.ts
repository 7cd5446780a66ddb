// Probes one GeminiDB instance: obtains its CA download links, downloads and parses each CA file.
// Each link is its own error boundary: a failing link keeps its last good certificates, shows as
// down and carries the failure as its problem. Links are logged without their query (a
// credential). Owner tags and whether the state changed are decided elsewhere.

import type { ParsedBundle } from "../../certs/types.js";
import { downloadFile } from "../../cloud/download.js";
import type { Logger } from "../../log/logger.js";
import { describeUrl } from "../../log/scrub.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import { quoteIssues, readableCount } from "../../poll/resource-problems.js";
import type { ErrorReason } from "../../reasons.js";
import { showSslCertDownloadLinks, type GeminiDbApiContext, type GeminiDbInstance } from "./api.js";
import type { GeminiDbPollDependencies } from "./poller.js";
import { linkKey, type CaLinkState, type GeminiDbInstanceState } from "./snapshot.js";

/** An instance as probed, before its owner tags are added. */
export type ProbedInstance = Omit<GeminiDbInstanceState, "tags" | "tagsReadAtSeconds">;

export interface ProbeContext {
  readonly api: GeminiDbApiContext;
  readonly deps: GeminiDbPollDependencies;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Filled with the duration of every download made. */
  readonly linkDurations: Map<string, number>;
}

/** One link's state while it is down: the last good certificates, the failure as its problem. */
type DownLink = (
  category: string,
  reason: ErrorReason,
  message: string,
  statusCode?: number,
) => CaLinkState;

export async function probeInstance(
  instance: GeminiDbInstance,
  last: GeminiDbInstanceState | undefined,
  context: ProbeContext,
): Promise<ProbedInstance> {
  const base = {
    id: instance.id,
    name: instance.name,
    datastoreType: instance.datastoreType,
    ssl: instance.ssl ?? "",
    enterpriseProjectId: instance.enterpriseProjectId,
    ccmCertificateId: instance.ccmCertificateId ? instance.ccmCertificateId : null,
  } as const;
  if (instance.ssl === "0") return { ...base, certOrigin: "", links: [] };
  // A CCM certificate is not served through the download link: the ccm source reports it.
  if (instance.ccmCertificateId !== null) return { ...base, certOrigin: "ccm", links: [] };

  const { api, deps, log, signal } = context;
  const lastLinks = new Map((last?.links ?? []).map((link) => [link.category, link]));
  const down: DownLink = (category, reason, message, statusCode = 0) => ({
    category,
    up: false,
    statusCode,
    bytes: null,
    reason,
    certificates: lastLinks.get(category)?.certificates ?? [],
    problem: { reason, message },
  });

  let links;
  try {
    links = await showSslCertDownloadLinks(api, instance.id);
  } catch (caught) {
    const error = cloudFailure(caught, signal);
    deps.recordError("link_api_error");
    log.debug(
      { instanceId: instance.id, instanceName: instance.name, ...error.toLogFields() },
      "GeminiDB download link unavailable",
    );
    const previous = last?.links.length ? last.links : [{ category: "" }];
    const message = `CA download link unavailable: ${error.message}`;
    return {
      ...base,
      certOrigin: "download_link",
      links: previous.map((link) => down(link.category, "link_api_error", message)),
    };
  }
  if (links.length === 0) {
    // With SSL known to be on, no link is a fault; with SSL unknown it means SSL is off.
    if (instance.ssl === null) return { ...base, certOrigin: "", links: [] };
    deps.recordError("link_api_error");
    return {
      ...base,
      certOrigin: "download_link",
      links: [down("", "link_api_error", "SSL is on but the API gave no CA download link")],
    };
  }
  const states: CaLinkState[] = [];
  for (const link of links) {
    states.push(await probeLink(instance, link, lastLinks.get(link.category), down, context));
  }
  return { ...base, certOrigin: "download_link", links: states };
}

/** Downloads and parses one link's CA file. */
async function probeLink(
  instance: GeminiDbInstance,
  link: { readonly category: string; readonly url: string },
  last: CaLinkState | undefined,
  down: DownLink,
  { deps, log, signal, linkDurations }: ProbeContext,
): Promise<CaLinkState> {
  const result = await downloadFile(link.url, deps.download, signal);
  linkDurations.set(linkKey(instance.id, link.category), result.durationSeconds);
  if (!result.ok) {
    deps.recordError(result.reason);
    log.debug(
      {
        instanceId: instance.id,
        instanceName: instance.name,
        category: link.category,
        link: describeUrl(link.url),
        reason: result.reason,
        status: result.status,
        detail: result.detail,
      },
      "GeminiDB CA download failed",
    );
    const message = `CA download failed: ${result.detail}`;
    return {
      ...down(link.category, result.reason, message, result.status),
      bytes: result.bytesRead,
    };
  }
  const bundle: ParsedBundle = deps.bundles.parse(result.bytes);
  const readable = bundle.certificates.length > 0;
  let problem: CaLinkState["problem"] = null;
  if (bundle.issues.length > 0 || !readable) {
    deps.recordError("bad_content");
    problem = { reason: "bad_content", message: contentMessage(bundle) };
  }
  return {
    category: link.category,
    up: readable,
    statusCode: result.status,
    bytes: result.bytes.length,
    reason: readable ? null : "bad_content",
    certificates: readable ? bundle.certificates : (last?.certificates ?? []),
    problem,
  };
}

/** What of a downloaded CA file could not be read, and how much could. */
function contentMessage(bundle: ParsedBundle): string {
  const issues = quoteIssues(bundle.issues);
  const readable = bundle.certificates.length;
  if (readable === 0) return `the CA file holds no readable certificate: ${issues}`;
  return `the CA file has unreadable parts: ${issues}; ${readableCount(readable)}`;
}
