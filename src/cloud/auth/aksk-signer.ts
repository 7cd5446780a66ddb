// Huawei Cloud's SDK-HMAC-SHA256 request signing (the APIG signer of the official SDKs), on
// node:crypto. Pure functions: the caller supplies the date, so the public test vector can be
// reproduced exactly. Canonical form: each path segment RFC 3986-encoded with a trailing "/",
// query pairs encoded and sorted by key then value, lower-case signed headers sorted by name.

import { createHash, createHmac } from "node:crypto";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

export interface SigningRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign (the caller includes host and x-sdk-date). Names in any case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** encodeURIComponent plus the reserved characters RFC 3986 also escapes. */
export function rfc3986Encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function canonicalUri(url: URL): string {
  const encoded = url.pathname
    .split("/")
    .map((segment) => rfc3986Encode(safeDecode(segment)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

export function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams.entries()].map(
    ([key, value]) => [rfc3986Encode(key), rfc3986Encode(value)] as const,
  );
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

function normalizedHeaders(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers)
    .map(([name, value]): [string, string] => [name.toLowerCase(), value.trim()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function signedHeaderNames(headers: Readonly<Record<string, string>>): string {
  return normalizedHeaders(headers)
    .map(([name]) => name)
    .join(";");
}

export function canonicalRequest(request: SigningRequest): string {
  const headers = normalizedHeaders(request.headers);
  return [
    request.method.toUpperCase(),
    canonicalUri(request.url),
    canonicalQuery(request.url),
    headers.map(([name, value]) => `${name}:${value}\n`).join(""),
    headers.map(([name]) => name).join(";"),
    createHash("sha256").update(request.body).digest("hex"),
  ].join("\n");
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return [SIGNING_ALGORITHM, sdkDate, createHash("sha256").update(canonical).digest("hex")].join(
    "\n",
  );
}

export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

/** `YYYYMMDDTHHMMSSZ`, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The Authorization header value for a request whose headers include x-sdk-date. */
export function authorizationHeader(
  request: SigningRequest,
  accessKey: string,
  secretKey: string,
): string {
  const sdkDate = Object.entries(request.headers).find(
    ([name]) => name.toLowerCase() === "x-sdk-date",
  )?.[1];
  if (sdkDate === undefined) throw new Error("x-sdk-date must be among the signed headers");
  const toSign = stringToSign(canonicalRequest(request), sdkDate);
  return `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaderNames(request.headers)}, Signature=${signature(secretKey, toSign)}`;
}
