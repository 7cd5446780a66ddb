// The sources the exporter can poll. `source` label values and HWCERT_SOURCES entries. `ccm`
// (Cloud Certificate Manager) is account-wide and opt-in; the default stays elb,geminidb.

export const SOURCE_NAMES = ["elb", "geminidb", "ccm"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
