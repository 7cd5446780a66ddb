// Reads Prometheus text exposition into samples, for assertions. Test-only; the format's
// validity itself is checked by `promtool check metrics` in the integration tests.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

// dotAll: a label value may hold a raw carriage return (only backslash, quote and newline are
// escaped in the exposition format).
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/s;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name = "", labelText = "", valueText = ""] = match;
    const labels: Record<string, string> = {};
    LABEL_PAIR.lastIndex = 0;
    let pair: RegExpExecArray | null;
    while ((pair = LABEL_PAIR.exec(labelText)) !== null) {
      const [, key = "", raw = ""] = pair;
      labels[key] = raw.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));
    }
    const value =
      valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : Number(valueText);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** Samples of one metric whose labels include every given pair. */
export function select(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The value of exactly one matching sample; throws when there are none or several. */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = select(samples, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return (found[0] as Sample).value;
}
