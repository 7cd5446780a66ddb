// Last line of defence for log output: every serialized log line passes through scrubText()
// before it is written. It removes the values of known secrets (registered at start-up and
// whenever a new token is issued), PEM private-key blocks and the query of any URL, which is
// where pre-signed download links keep their signature. Structure (Secret, redact paths,
// mapped errors) keeps secrets out in the first place; this catches what structure missed.

const MIN_SECRET_LENGTH = 6;
const REDACTED = "[REDACTED]";

const PRIVATE_KEY_BLOCK =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
/** The query part of an absolute URL, up to the end of the JSON string or whitespace. */
const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'?#]*)\?[^\s"'#]*/gi;

export class SecretScrubber {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret value; it will never appear in scrubbed text, raw or JSON-escaped. */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    const escaped = JSON.stringify(value).slice(1, -1);
    for (const form of new Set([value, escaped])) {
      if (!this.#values.has(form)) {
        this.#values.add(form);
        this.#pattern = undefined;
      }
    }
  }

  scrub(text: string): string {
    let result = text.replace(PRIVATE_KEY_BLOCK, REDACTED).replace(URL_QUERY, `$1?${REDACTED}`);
    if (this.#values.size > 0) {
      this.#pattern ??= new RegExp(
        [...this.#values]
          .sort((a, b) => b.length - a.length)
          .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("|"),
        "g",
      );
      result = result.replace(this.#pattern, REDACTED);
    }
    return result;
  }
}

/** A URL as it may be shown: scheme, host and path; the query (a credential) never. */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = typeof url === "string" ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? `?${REDACTED}` : ""}`;
  } catch {
    return "(invalid URL)";
  }
}
