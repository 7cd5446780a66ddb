// The simulated OBS bucket that GeminiDB download links point at: objects by bucket/key, query
// pre-signed URLs (HMAC over method, expiry and resource, with a per-run secret, so links cost no
// state) and per-object misbehaviour: error status, redirect chains, slow or oversized bodies.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { faultBody, obsError, obsStatusError } from "./errors.js";
import type { Reply, RouteContext, ServiceDefinition } from "./http-kit.js";

export interface ObsObjectOptions {
  /** Default `application/octet-stream`, as OBS serves uploads without a declared type. */
  readonly contentType?: string;
  /** Answer this status with an OBS XML error instead of the object (after the signature check). */
  readonly status?: number;
  /**
   * Answer with `hops` redirects before the object. The last one goes to `location` when given
   * (another host or URL), else to an unsigned hop URL on this server that serves the object.
   */
  readonly redirects?: {
    readonly hops: number;
    readonly location?: string;
    readonly status?: number;
  };
  /** Drip the body at this rate. */
  readonly bytesPerSecond?: number;
  /** Pad the body with filler bytes up to this total size (streamed, never allocated). */
  readonly oversizeToBytes?: number;
  /** false: chunked, with no Content-Length to reject up front. Default true. */
  readonly declareLength?: boolean;
}

interface StoredObject {
  readonly bytes: Buffer;
  readonly options: ObsObjectOptions;
}

export interface ObsControl {
  put(bucket: string, key: string, bytes: Uint8Array | string, options?: ObsObjectOptions): void;
  delete(bucket: string, key: string): void;
  /** A path-style pre-signed GET URL valid for ttlSeconds (negative: already expired). */
  presign(bucket: string, key: string, ttlSeconds: number): string;
  /** The access key id the links carry (a fake; the secret never leaves the simulator). */
  readonly accessKeyId: string;
  /**
   * Every URL presign() issued, oldest first (the newest 10,000 are kept): their queries are
   * credentials, so leak tests search the exporter's output for them.
   */
  readonly presignedUrls: readonly string[];
  /** Forgets presignedUrls (long runs that measure memory). */
  clearPresignedUrls(): void;
}

const PRESIGNED_URLS_KEPT = 10_000;

/** Query keys that are credentials: masked in the request log. */
export const OBS_SECRET_QUERY_KEYS: ReadonlySet<string> = new Set([
  "signature",
  "accesskeyid",
  "x-obs-security-token",
]);

const REDIRECT_PREFIX = "__redirect";

export function createObs(deps: { readonly baseUrl: () => string; readonly now: () => number }): {
  control: ObsControl;
  definition: ServiceDefinition;
} {
  const objects = new Map<string, StoredObject>();
  const secret = randomBytes(32);
  const accessKeyId = `SIMOBS${randomBytes(7).toString("hex").toUpperCase()}`;

  const objectPath = (bucket: string, key: string): string =>
    `/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;

  const sign = (bucket: string, key: string, expires: number): string =>
    createHmac("sha1", secret).update(`GET\n\n\n${expires}\n/${bucket}/${key}`).digest("base64");

  let presignedUrls: string[] = [];
  const control: ObsControl = {
    accessKeyId,
    get presignedUrls() {
      return presignedUrls;
    },
    clearPresignedUrls() {
      presignedUrls = [];
    },
    put(bucket, key, bytes, options = {}) {
      const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
      objects.set(`${bucket}/${key}`, { bytes: buffer, options });
    },
    delete(bucket, key) {
      objects.delete(`${bucket}/${key}`);
    },
    presign(bucket, key, ttlSeconds) {
      const expires = Math.floor(deps.now() / 1000) + ttlSeconds;
      const query = new URLSearchParams({
        AccessKeyId: accessKeyId,
        Expires: String(expires),
        Signature: sign(bucket, key, expires),
      });
      const url = `${deps.baseUrl()}${objectPath(bucket, key)}?${query.toString()}`;
      presignedUrls.push(url);
      // Drop the older half in one go, as the request log does.
      if (presignedUrls.length > PRESIGNED_URLS_KEPT) {
        presignedUrls = presignedUrls.slice(PRESIGNED_URLS_KEPT / 2);
      }
      return url;
    },
  };

  const hopUrl = (hop: number, bucket: string, key: string): string =>
    `${deps.baseUrl()}/${REDIRECT_PREFIX}/${hop}${objectPath(bucket, key)}`;

  const serve = (stored: StoredObject, requestId: string): Reply => {
    const { options } = stored;
    if (options.status !== undefined) return obsStatusError(options.status, requestId);
    const filler = Math.max(0, (options.oversizeToBytes ?? 0) - stored.bytes.length);
    return {
      status: 200,
      headers: {
        "Content-Type": options.contentType ?? "application/octet-stream",
        "x-obs-request-id": requestId,
        ETag: `"${createHash("md5").update(stored.bytes).digest("hex")}"`,
      },
      body: stored.bytes,
      fillerBytes: filler,
      declareLength: options.declareLength ?? true,
      ...(options.bytesPerSecond === undefined ? {} : { bytesPerSecond: options.bytesPerSecond }),
    };
  };

  /** The redirect that follows step `hop` (1-based count of redirects already sent + 1). */
  const redirect = (
    stored: StoredObject,
    hop: number,
    bucket: string,
    key: string,
    requestId: string,
  ): Reply | undefined => {
    const hops = stored.options.redirects?.hops ?? 0;
    if (hop > hops) return undefined;
    const location =
      hop === hops && stored.options.redirects?.location !== undefined
        ? stored.options.redirects.location
        : hopUrl(hop, bucket, key);
    return {
      status: stored.options.redirects?.status ?? 302,
      headers: { Location: location, "x-obs-request-id": requestId },
      body: "",
    };
  };

  const getObject = (ctx: RouteContext, bucket: string, key: string): Reply => {
    const { query, requestId } = ctx;
    const signature = query.get("Signature");
    const expires = query.get("Expires");
    const givenKeyId = query.get("AccessKeyId");
    if (signature === null || expires === null || givenKeyId === null) {
      return obsError(
        403,
        "AccessDenied",
        "Query-string authentication requires the Signature, Expires and AccessKeyId parameters",
        requestId,
      );
    }
    const expected = Buffer.from(sign(bucket, key, Number(expires)));
    const given = Buffer.from(signature);
    if (
      givenKeyId !== accessKeyId ||
      !/^\d+$/.test(expires) ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      return obsError(
        403,
        "AccessDenied",
        "The request signature we calculated does not match the signature you provided",
        requestId,
      );
    }
    if (Number(expires) * 1000 < deps.now()) {
      return obsError(403, "AccessDenied", "Request has expired", requestId);
    }
    ctx.markAuthenticated();
    const stored = objects.get(`${bucket}/${key}`);
    if (stored === undefined) {
      return obsError(404, "NoSuchKey", "The specified key does not exist.", requestId);
    }
    return redirect(stored, 1, bucket, key, requestId) ?? serve(stored, requestId);
  };

  const followHop = (ctx: RouteContext, hop: number, bucket: string, key: string): Reply => {
    const stored = objects.get(`${bucket}/${key}`);
    if (stored === undefined || !Number.isInteger(hop) || hop < 1) {
      return obsError(404, "NoSuchKey", "The specified key does not exist.", ctx.requestId);
    }
    return redirect(stored, hop + 1, bucket, key, ctx.requestId) ?? serve(stored, ctx.requestId);
  };

  const definition: ServiceDefinition = {
    service: "obs",
    route(method, segments) {
      if (method !== "GET") return undefined;
      const [first, second, ...rest] = segments;
      if (first === REDIRECT_PREFIX) {
        const [bucket, ...keyParts] = rest;
        if (bucket === undefined || keyParts.length === 0) return undefined;
        return {
          operation: "obs.redirect",
          handle: (ctx) => followHop(ctx, Number(second), bucket, keyParts.join("/")),
        };
      }
      if (first === undefined || second === undefined) return undefined;
      const key = [second, ...rest].join("/");
      return { operation: "obs.getObject", handle: (ctx) => getObject(ctx, first, key) };
    },
    notFound: (requestId) =>
      obsError(404, "NoSuchKey", "The specified key does not exist.", requestId),
    faultBody: (status, requestId, body) => faultBody(status, requestId, body, "xml"),
  };

  return { control, definition };
}
