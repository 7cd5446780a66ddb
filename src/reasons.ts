// The closed set of failure reasons. It is the `reason` label of hwcert_errors_total (pre-set to
// zero for every source, so rate() works before the first failure) and the vocabulary of every
// error value the daemon passes around. Adding a reason is a contract change: update README.

export const ERROR_REASONS = [
  /** 401: token expired, revoked or wrong. */
  "auth_failed",
  /** 403: the credentials lack a permission. */
  "forbidden",
  /** 404: the project or a configured resource does not exist. */
  "not_found",
  /** 429: API throttling, after retries. */
  "rate_limited",
  /** Any other 4xx answer. */
  "http_4xx",
  /** 5xx answers, after retries. */
  "http_5xx",
  /** No answer within HWCERT_HTTP_TIMEOUT_SECONDS, after retries. */
  "timeout",
  /** Connection refused or reset, DNS failure, body cut off. */
  "network",
  /** TLS handshake or certificate verification towards the API failed. */
  "tls",
  /** A response that is not the JSON shape the API documents (including paging loops). */
  "api_shape",
  /** A time field (e.g. ELB expire_time) that cannot be read. */
  "bad_time",
  /** A certificate body with no readable PEM block. */
  "bad_pem",
  /** A PEM/DER block that is not a valid X.509 certificate. */
  "bad_certificate",
  /** GeminiDB: the download-link API call for an instance failed or returned no link. */
  "link_api_error",
  /** GeminiDB: the CA download answered with a status other than 200. */
  "http_status",
  /** GeminiDB: the CA file is larger than HWCERT_DOWNLOAD_MAX_BYTES. */
  "too_large",
  /** GeminiDB: a download link or redirect points at a scheme or host that is not allowed. */
  "host_not_allowed",
  /** GeminiDB: more than 3 redirects. */
  "too_many_redirects",
  /** GeminiDB: the CA file holds no readable certificate (or is partly unreadable). */
  "bad_content",
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];
