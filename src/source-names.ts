// The sources the exporter can poll. `source` label values and HWCERT_SOURCES entries. `ccm`
// (Cloud Certificate Manager) is account-wide and opt-in; the default stays elb,geminidb.
// Also what every layer may say about a source without importing it: its name for people and
// the kind of its resources, its API endpoint setting, and how a snapshot finds its own source's
// module. The configuration derives each source's endpoint setting from this catalogue alone.

export const SOURCE_NAMES = ["elb", "geminidb", "ccm"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** How a source is named to people and what its resources are. */
export interface SourceEntry {
  /** The status page's and `check`'s source column, e.g. `GeminiDB`. */
  readonly label: string;
  /** The `kind` of its resources in the status model's problem list (a JSON contract). */
  readonly resourceKind: string;
  /** One of its resources in words: `certificate`, `instance`. */
  readonly resourceNoun: string;
  /** Where its API is: the setting that overrides it, read for every target. */
  readonly endpoint: SourceEndpoint;
}

/** A source's API endpoint setting, as config/example.env and docs/configuration.md show it. */
export interface SourceEndpoint {
  readonly setting: `HWCERT_${string}_ENDPOINT`;
  /** The URL template; `{region}` is replaced by the target's region. */
  readonly defaultUrl: string;
  readonly description: string;
}

export const SOURCE_CATALOGUE = {
  elb: {
    label: "ELB",
    resourceKind: "elb_certificate",
    resourceNoun: "certificate",
    endpoint: {
      setting: "HWCERT_ELB_ENDPOINT",
      defaultUrl: "https://elb.{region}.myhuaweicloud.com",
      description: "ELB v3 API endpoint.",
    },
  },
  geminidb: {
    label: "GeminiDB",
    resourceKind: "geminidb_instance",
    resourceNoun: "instance",
    endpoint: {
      setting: "HWCERT_GEMINIDB_ENDPOINT",
      defaultUrl: "https://gaussdb-nosql.{region}.myhuaweicloud.com",
      description: "GeminiDB (GaussDB NoSQL) v3 API endpoint.",
    },
  },
  ccm: {
    label: "CCM",
    resourceKind: "ccm_certificate",
    resourceNoun: "certificate",
    endpoint: {
      setting: "HWCERT_CCM_ENDPOINT",
      defaultUrl: "https://scm.{region}.myhuaweicloud.com",
      description:
        "Cloud Certificate Manager (SSL certificates, SDK name SCM) endpoint; a global service.",
    },
  },
} as const satisfies Readonly<Record<SourceName, SourceEntry>>;

/** What kind of resource a problem belongs to: `elb_certificate`, `geminidb_instance`, … */
export type ResourceKind = (typeof SOURCE_CATALOGUE)[SourceName]["resourceKind"];

/**
 * The module (or a narrower view of it) that owns a snapshot, by `snapshot.source`. Generic code
 * dispatches through this alone: a module's functions would accept another source's snapshot
 * (method parameters are bivariant), so the name decides. No module for a polled source is a
 * wiring mistake, hence a throw.
 */
export function moduleOf<M extends { readonly name: SourceName }>(
  modules: readonly M[],
  snapshot: { readonly source: SourceName },
): M {
  const found = modules.find((module) => module.name === snapshot.source);
  if (found === undefined) throw new Error(`no source module named ${snapshot.source}`);
  return found;
}

/** Throws unless `module` is the snapshot's own (see moduleOf): a wiring mistake. */
export function assertModuleOf(
  module: { readonly name: SourceName },
  snapshot: { readonly source: SourceName },
): void {
  if (module.name !== snapshot.source) {
    throw new Error(`the ${module.name} module cannot read a ${snapshot.source} snapshot`);
  }
}
