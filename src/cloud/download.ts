// Downloads one CA file from a pre-signed link under hard limits: the allow policy checked on
// the link and on every redirect hop (at most MAX_REDIRECTS), on the address each host name
// resolves to (DNS cannot point an allowed name at loopback or the metadata service), a byte cap
// enforced while reading (and up front from Content-Length), and one deadline for the whole
// transfer. No Huawei credentials are sent. The link's query is a credential: it never appears
// in a result.

import { lookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import got, { RequestError, type Response } from "got";
import type { ErrorReason } from "../reasons.js";
import { checkLink, checkResolvedAddress, type LinkPolicy } from "./link-policy.js";

export const MAX_REDIRECTS = 3;

export interface DownloadPolicy extends LinkPolicy {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
}

export type DownloadResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly bytes: Uint8Array;
      readonly durationSeconds: number;
    }
  | {
      readonly ok: false;
      readonly reason: ErrorReason;
      /** HTTP status of the last answer, 0 when none arrived. */
      readonly status: number;
      /** Bytes received before the failure, when known. */
      readonly bytesRead: number | null;
      readonly durationSeconds: number;
      /** Safe text: no URL query, no header values. */
      readonly detail: string;
    };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

class TooLarge extends Error {
  readonly received: number;
  constructor(received: number) {
    super("too large");
    this.received = received;
  }
}

/** Thrown by the guarded DNS lookup; `detail` is safe text (host and address only). */
class AddressRefused extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(detail);
    this.detail = detail;
  }
}

export async function downloadFile(
  link: string,
  policy: DownloadPolicy,
  signal: AbortSignal,
): Promise<DownloadResult> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const fail = (
    reason: ErrorReason,
    detail: string,
    status = 0,
    bytesRead: number | null = null,
  ): DownloadResult => ({
    ok: false,
    reason,
    status,
    bytesRead,
    durationSeconds: elapsed(),
    detail,
  });

  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return fail("host_not_allowed", "the link is not a valid URL");
  }
  signal.throwIfAborted();
  // One controller per download, aborted by the caller's signal, the deadline or the byte cap.
  // Not AbortSignal.any(): Node keeps every composite signal that has an "abort" listener (got
  // adds one) reachable until it aborts, so the composites of the daemon-long poll signal made
  // for each download were never freed, about 1 KB per download (found by the soak test).
  const transfer = new AbortController();
  const onCallerAbort = (): void => {
    transfer.abort(signal.reason);
  };
  signal.addEventListener("abort", onCallerAbort, { once: true });
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    transfer.abort(new Error("download deadline"));
  }, policy.timeoutMs);
  try {
    return await follow(url, { policy, transfer, timedOut: () => timedOut, signal, fail, elapsed });
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener("abort", onCallerAbort);
  }
}

interface FollowContext {
  readonly policy: DownloadPolicy;
  readonly transfer: AbortController;
  readonly timedOut: () => boolean;
  /** The caller's signal: its abort is rethrown, never reported as a download failure. */
  readonly signal: AbortSignal;
  readonly fail: (
    reason: ErrorReason,
    detail: string,
    status?: number,
    bytesRead?: number | null,
  ) => DownloadResult;
  readonly elapsed: () => number;
}

/** Fetches the link, following at most MAX_REDIRECTS allowed redirects. */
async function follow(link: URL, context: FollowContext): Promise<DownloadResult> {
  const { policy, transfer, timedOut, signal, fail, elapsed } = context;
  let url = link;
  /** Status of the previous hop's answer (a redirect), reported when the next hop fails. */
  let lastStatus = 0;
  for (let hop = 0; ; hop++) {
    const verdict = checkLink(url, policy);
    if (!verdict.ok) {
      return fail(
        "host_not_allowed",
        hop === 0 ? verdict.detail : `redirect ${hop}: ${verdict.detail}`,
        lastStatus,
      );
    }
    let response: Response<Uint8Array>;
    try {
      response = await fetchOnce(url, policy, transfer);
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof TooLarge) {
        return fail("too_large", `larger than ${policy.maxBytes} bytes`, 200, error.received);
      }
      if (error instanceof RequestError && error.cause instanceof AddressRefused) {
        const detail = error.cause.detail;
        return fail(
          "host_not_allowed",
          hop === 0 ? detail : `redirect ${hop}: ${detail}`,
          lastStatus,
        );
      }
      if (timedOut()) return fail("timeout", `no complete answer within ${policy.timeoutMs} ms`);
      const code = error instanceof RequestError ? error.code : "unknown";
      return fail("network", `connection failure (${code})`);
    }
    const status = response.statusCode;
    if (REDIRECT_STATUSES.has(status)) {
      const location = response.headers.location;
      if (hop >= MAX_REDIRECTS) {
        return fail("too_many_redirects", `more than ${MAX_REDIRECTS} redirects`, status);
      }
      if (!location) return fail("http_status", "redirect without a Location", status);
      lastStatus = status;
      try {
        url = new URL(location, url);
      } catch {
        return fail("host_not_allowed", `redirect ${hop + 1}: not a valid URL`, status);
      }
      continue;
    }
    if (status !== 200) {
      return fail("http_status", `answered HTTP ${status}`, status, response.rawBody.length);
    }
    return { ok: true, status, bytes: response.rawBody, durationSeconds: elapsed() };
  }
}

/** One GET without redirects or retries, cancelled as soon as it passes the byte cap. */
function fetchOnce(
  url: URL,
  policy: DownloadPolicy,
  transfer: AbortController,
): Promise<Response<Uint8Array>> {
  const request = got(url, {
    method: "GET",
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    responseType: "buffer",
    signal: transfer.signal,
    headers: { "user-agent": policy.userAgent, accept: "*/*" },
    // Node never calls a lookup for an IP literal; checkLink has judged those already.
    dnsLookup: guardedLookup(policy),
  });
  let tooLarge: TooLarge | undefined;
  // on() returns the request itself, which is awaited below.
  void request.on("downloadProgress", (progress: { transferred: number; total?: number }) => {
    const announced = progress.total ?? 0;
    if (
      tooLarge === undefined &&
      (progress.transferred > policy.maxBytes || announced > policy.maxBytes)
    ) {
      // Report what was actually received: a Content-Length over the cap stops the transfer
      // before the body is read.
      tooLarge = new TooLarge(progress.transferred);
      transfer.abort();
    }
  });
  return request.catch((error: unknown) => {
    throw tooLarge ?? error;
  });
}

/**
 * dns.lookup, then checkResolvedAddress on every address it returned: one refused address
 * refuses the host, so a name that resolves to a public and a loopback address cannot win a
 * race to the loopback one. The connection goes only to addresses checked here.
 */
function guardedLookup(policy: LinkPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, "", 0);
        return;
      }
      for (const { address } of addresses) {
        const verdict = checkResolvedAddress(hostname, address, policy);
        if (!verdict.ok) {
          callback(new AddressRefused(verdict.detail), "", 0);
          return;
        }
      }
      const [first] = addresses;
      if (options.all === true) callback(null, addresses);
      else if (first === undefined)
        callback(new AddressRefused(`host ${hostname} has no address`), "", 0);
      else callback(null, first.address, first.family);
    });
  };
}
