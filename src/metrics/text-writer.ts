// Writes the Prometheus text format (0.0.4) for gauge families straight into Buffer chunks.
// prom-client builds an object per series and one large string per render; at 10,000
// certificates that is ~80,000 series and ~27 MB of text every poll, so the polled families
// are written here instead, byte for byte as prom-client would write them (a test renders the
// same series through both and compares). Chunks live outside the V8 heap and are served and
// gzipped as they are, never joined into one string.

const CHUNK_BYTES = 64 * 1024;

/** Label value escaping of the text format: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    : value;
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A gauge family's HELP and TYPE lines. */
export function familyHeader(name: string, help: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n`;
}

function formatValue(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "Nan";
  return String(value);
}

export class TextWriter {
  readonly #chunks: Buffer[] = [];
  #pending: string[] = [];
  #pendingLength = 0;
  #families = 0;

  /** Starts a gauge family; samples written next belong to it. */
  family(name: string, help: string): void {
    this.#write(`${this.#families > 0 ? "\n" : ""}${familyHeader(name, help)}`);
    this.#families++;
  }

  /**
   * One sample; `labelNames` and `labelValues` are parallel, in the family's label order (a
   * Family builds the values from a label record, so both always have the same length).
   */
  sample(
    name: string,
    labelNames: readonly string[],
    labelValues: readonly string[],
    value: number,
  ): void {
    if (labelValues.length !== labelNames.length) {
      throw new Error(
        `${name}: ${String(labelValues.length)} label values for ${String(labelNames.length)} names`,
      );
    }
    let line = name;
    if (labelNames.length > 0) {
      line += "{";
      for (let i = 0; i < labelNames.length; i++) {
        if (i > 0) line += ",";
        line += `${labelNames[i] as string}="${escapeLabelValue(labelValues[i] as string)}"`;
      }
      line += "}";
    }
    this.#write(`${line} ${formatValue(value)}\n`);
  }

  /** The text written so far, as chunks of at most about 64 KiB. */
  finish(): Buffer[] {
    this.#flush();
    return this.#chunks;
  }

  #write(text: string): void {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= CHUNK_BYTES) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#chunks.push(Buffer.from(this.#pending.join(""), "utf8"));
    this.#pending = [];
    this.#pendingLength = 0;
  }
}
