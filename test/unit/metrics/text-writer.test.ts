import { Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { escapeLabelValue, TextWriter } from "../../../src/metrics/text-writer.js";

interface FamilyData {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly samples: readonly { labels: readonly string[]; value: number }[];
}

const FAMILIES: readonly FamilyData[] = [
  {
    name: "hwcert_test_expire_timestamp_seconds",
    help: 'Help with a \\ backslash,\na newline and "quotes".',
    labelNames: ["region", "name", "serial"],
    samples: [
      { labels: ["ap-southeast-1", 'quote " inside', "01"], value: 1_795_351_832 },
      { labels: ["cn-north-4", "back\\slash", "-7FFF"], value: 253_402_300_799 },
      { labels: ["eu-west-101", "new\nline", ""], value: -1.5 },
      { labels: ["la-north-2", "<script>alert(1)</script>", "00"], value: 0.000001 },
      { labels: ["ap-southeast-3", "ünïcødé 証明書", "ABCDEF"], value: 1e21 },
    ],
  },
  { name: "hwcert_test_empty", help: "No samples.", labelNames: ["a"], samples: [] },
  {
    name: "hwcert_test_special_values",
    help: "Infinities.",
    labelNames: ["kind"],
    samples: [
      { labels: ["up"], value: Infinity },
      { labels: ["down"], value: -Infinity },
    ],
  },
];

async function renderWithPromClient(families: readonly FamilyData[]): Promise<string> {
  const registry = new Registry();
  for (const family of families) {
    const gauge = new Gauge({
      name: family.name,
      help: family.help,
      labelNames: family.labelNames,
      registers: [registry],
    });
    for (const sample of family.samples) {
      gauge.set(
        Object.fromEntries(family.labelNames.map((name, i) => [name, sample.labels[i] ?? ""])),
        sample.value,
      );
    }
  }
  return registry.metrics();
}

function renderWithWriter(families: readonly FamilyData[]): string {
  const writer = new TextWriter();
  for (const family of families) {
    writer.family(family.name, family.help);
    for (const sample of family.samples) {
      writer.sample(family.name, family.labelNames, sample.labels, sample.value);
    }
  }
  return Buffer.concat(writer.finish()).toString("utf8");
}

describe("TextWriter", () => {
  it("writes exactly what prom-client writes for the same series", async () => {
    expect(renderWithWriter(FAMILIES)).toBe(await renderWithPromClient(FAMILIES));
  });

  it("matches prom-client on a large family split across chunks", async () => {
    const large: FamilyData = {
      name: "hwcert_test_large",
      help: "Many series.",
      labelNames: ["resource_id", "subject"],
      samples: Array.from({ length: 5_000 }, (_, i) => ({
        labels: [`id-${String(i)}`, `CN=host-${String(i)}.example.com, O="Acme\\Corp"`],
        value: i,
      })),
    };
    const writer = new TextWriter();
    writer.family(large.name, large.help);
    for (const sample of large.samples) {
      writer.sample(large.name, large.labelNames, sample.labels, sample.value);
    }
    const chunks = writer.finish();
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(await renderWithPromClient([large]));
  });

  it.each([
    ["plain", "plain"],
    ['a"b', 'a\\"b'],
    ["a\\b", "a\\\\b"],
    ["a\nb", "a\\nb"],
    ['\\"\n', '\\\\\\"\\n'],
  ])("escapes the label value %j as %j", (input, expected) => {
    expect(escapeLabelValue(input)).toBe(expected);
  });
});
