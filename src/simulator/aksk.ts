// Server-side check of Huawei's SDK-HMAC-SHA256 (AK/SK) request signatures, written from the
// public description in the API notes (not from the exporter's signer, so the two cannot share a
// misreading). Pure functions over the raw request; the clock is passed in.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
/** Requests dated further than this from the server clock are refused. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequestParts {
  readonly method: string;
  /** Path as sent, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Query as sent, without the "?". */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ParsedAuthorization {
  readonly accessKey: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export type SignatureCheck =
  | { readonly ok: true; readonly accessKey: string }
  | { readonly ok: false; readonly message: string };

/** RFC 3986 unreserved characters stay, everything else is %XX with upper-case hex. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

export function canonicalUri(rawPath: string): string {
  const encoded = rawPath
    .split("/")
    .map((segment) => rfc3986Encode(decodeURIComponent(segment)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs = rawQuery
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? "" : pair.slice(eq + 1);
      return [rfc3986Encode(decodeComponent(key)), rfc3986Encode(decodeComponent(value))] as const;
    });
  pairs.sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) return "";
  return (Array.isArray(value) ? value.join(",") : value).trim();
}

export function canonicalRequest(
  parts: SignedRequestParts,
  signedHeaders: readonly string[],
): string {
  const sorted = [...signedHeaders].map((h) => h.toLowerCase()).sort();
  const canonicalHeaders = sorted
    .map((name) => `${name}:${headerValue(parts.headers, name)}\n`)
    .join("");
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.rawQuery),
    canonicalHeaders,
    sorted.join(";"),
    createHash("sha256").update(parts.body).digest("hex"),
  ].join("\n");
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${createHash("sha256").update(canonical).digest("hex")}`;
}

export function computeSignature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex` → parts, or undefined. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const prefix = `${SIGNING_ALGORITHM} `;
  if (!header.startsWith(prefix)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq === -1) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (accessKey === undefined || signedHeaders === undefined || signature === undefined) {
    return undefined;
  }
  return { accessKey, signedHeaders: signedHeaders.split(";"), signature };
}

/** `20060102T150405Z` → epoch ms, or undefined. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Verifies an AK/SK-signed request. `secretFor` returns the SK of a known AK. Messages follow
 * the API gateway's wording loosely; they never contain the expected signature.
 */
export function verifySignedRequest(
  parts: SignedRequestParts,
  secretFor: (accessKey: string) => string | undefined,
  nowMs: number,
): SignatureCheck {
  const authorization = headerValue(parts.headers, "authorization");
  const parsed = parseAuthorization(authorization);
  if (parsed === undefined) return { ok: false, message: "malformed Authorization header" };
  const secretKey = secretFor(parsed.accessKey);
  if (secretKey === undefined) return { ok: false, message: "ak not exist" };
  const signed = parsed.signedHeaders.map((h) => h.toLowerCase());
  if (!signed.includes("x-sdk-date")) return { ok: false, message: "x-sdk-date must be signed" };
  const sdkDate = headerValue(parts.headers, "x-sdk-date");
  const dated = parseSdkDate(sdkDate);
  if (dated === undefined) return { ok: false, message: "invalid x-sdk-date" };
  if (Math.abs(nowMs - dated) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, message: "x-sdk-date is not within 15 minutes of server time" };
  }
  const expected = computeSignature(
    secretKey,
    stringToSign(canonicalRequest(parts, signed), sdkDate),
  );
  const given = Buffer.from(parsed.signature.toLowerCase(), "utf8");
  const wanted = Buffer.from(expected, "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, message: "verify aksk signature fail" };
  }
  return { ok: true, accessKey: parsed.accessKey };
}
