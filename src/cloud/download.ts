// Downloads one CA file from a pre-signed link under hard limits: the allow policy checked on
// the link and on every redirect hop (at most MAX_REDIRECTS), on the address each host name
// resolves to (DNS cannot point an allowed name at loopback or the metadata service), a byte cap
// enforced while reading, decompressed bytes included (and up front from Content-Length), and
// one deadline for the whole transfer. No Huawei credentials are sent. The link's query is a
// credential: it never appears in a result.
//
// Transfers go through undici, as API calls do (http/client.ts), on an Agent the caller makes
// with createDownloadAgent and closes: it keeps connections alive, and every new connection
// resolves through the guarded lookup.

import { lookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, request, type Dispatcher } from "undici";
import type { ErrorReason } from "../reasons.js";
import { BodyTooLarge, contentLength, readCapped, single } from "./http/body.js";
import { describeConnectionFailure, errorCodeOf } from "./errors.js";
import { checkLink, checkResolvedAddress, type LinkPolicy } from "./link-policy.js";

export const MAX_REDIRECTS = 3;

export interface DownloadPolicy extends LinkPolicy {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  /**
   * The connections downloads go through: an Agent from createDownloadAgent for this same
   * allow list (its lookup refuses what the list refuses). Its maker closes it.
   */
  readonly agent: Dispatcher;
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
  // One controller per download, aborted by the caller's signal or the deadline. Not
  // AbortSignal.any(): Node keeps every composite signal that has an "abort" listener (the HTTP
  // client adds one) reachable until it aborts, so the composites of the daemon-long poll signal
  // made for each download were never freed, about 1 KB per download (found by the soak test).
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
    let answer: Answer;
    try {
      answer = await fetchOnce(url, policy, transfer);
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof BodyTooLarge) {
        return fail("too_large", `larger than ${policy.maxBytes} bytes`, 200, error.received);
      }
      const refused = addressRefusal(error);
      if (refused !== null) {
        return fail(
          "host_not_allowed",
          hop === 0 ? refused.detail : `redirect ${hop}: ${refused.detail}`,
          lastStatus,
        );
      }
      if (timedOut()) return fail("timeout", `no complete answer within ${policy.timeoutMs} ms`);
      // The link's host only: its path and query are signed and never leave this module.
      return fail("network", describeConnectionFailure(url.host, errorCodeOf(error)));
    }
    const { status } = answer;
    if (answer.redirect) {
      if (hop >= MAX_REDIRECTS) {
        return fail("too_many_redirects", `more than ${MAX_REDIRECTS} redirects`, status);
      }
      if (!answer.location) return fail("http_status", "redirect without a Location", status);
      lastStatus = status;
      try {
        url = new URL(answer.location, url);
      } catch {
        return fail("host_not_allowed", `redirect ${hop + 1}: not a valid URL`, status);
      }
      continue;
    }
    if (status !== 200) {
      return fail("http_status", `answered HTTP ${status}`, status, answer.bytes.length);
    }
    return { ok: true, status, bytes: answer.bytes, durationSeconds: elapsed() };
  }
}

/** One answer: a redirect (body discarded) or the whole body, decompressed. */
interface Answer {
  readonly status: number;
  readonly redirect: boolean;
  readonly location: string | undefined;
  readonly bytes: Uint8Array;
}

const NO_BYTES = new Uint8Array(0);

/**
 * Kept-alive connections for downloads under `policy`: a connection resolved under one allow
 * list serves only it, so every new one goes through the guarded lookup.
 */
export function createDownloadAgent(policy: LinkPolicy): Agent {
  // Node never calls a lookup for an IP literal; checkLink has judged those already.
  return new Agent({ connect: { lookup: guardedLookup(policy) } });
}

/** One GET without redirects or retries, cancelled as soon as it passes the byte cap. */
async function fetchOnce(
  url: URL,
  policy: DownloadPolicy,
  transfer: AbortController,
): Promise<Answer> {
  const { statusCode, headers, body } = await request(url, {
    method: "GET",
    dispatcher: policy.agent,
    headers: { "user-agent": policy.userAgent, accept: "*/*" },
    signal: transfer.signal,
  });
  if (REDIRECT_STATUSES.has(statusCode)) {
    // Read (under the cap) and ignore: a body left unread would cost the connection.
    await readCapped(body, undefined, policy.maxBytes);
    return {
      status: statusCode,
      redirect: true,
      location: single(headers.location),
      bytes: NO_BYTES,
    };
  }
  // A Content-Length over the cap stops the transfer before the body is read.
  const declared = contentLength(headers["content-length"]);
  if (declared !== undefined && declared > policy.maxBytes) {
    body.destroy();
    throw new BodyTooLarge(0);
  }
  const encoding = single(headers["content-encoding"]);
  const bytes = await readCapped(body, encoding, policy.maxBytes, declared);
  return { status: statusCode, redirect: false, location: undefined, bytes };
}

/** The guarded lookup's refusal, wherever the HTTP client put it. */
function addressRefusal(error: unknown): AddressRefused | null {
  if (error instanceof AddressRefused) return error;
  if (error instanceof Error && error.cause instanceof AddressRefused) return error.cause;
  return null;
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
