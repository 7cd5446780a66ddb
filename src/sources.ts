// The sources the exporter can poll. `source` label values and HWCERT_SOURCES entries.

export const SOURCE_NAMES = ["elb", "geminidb"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
