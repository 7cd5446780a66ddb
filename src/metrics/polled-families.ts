// Every polled family in exposition order: the sources' own families around the shared ones.
// Owns the order and nothing else; what each family writes lives with the family (a source's
// own in its folder, the shared ones in shared-families.ts).

import type { SourceSnapshotBase } from "../poll/snapshot.js";
import type { MetricsSource } from "./metrics-source.js";
import {
  resourceFamilies,
  statusFamilies,
  type PolledFamily,
  type RenderOptions,
} from "./shared-families.js";
import type { SourceFamilies, SourceFamily } from "./family.js";

/** A source's own family as a polled one: the parts of every other source are empty. */
function ownFamily(owner: MetricsSource, family: SourceFamily<SourceSnapshotBase>): PolledFamily {
  return {
    spec: family.spec,
    volatile: family.volatile,
    write: (source, writer) => {
      if (source.module === owner) family.write(source.snapshot, writer);
    },
  };
}

/**
 * The order is part of what /metrics promises: the same text for the same state across versions
 * (diffs of scrapes, and the gzip member the exposition keeps per family, stay stable). It is the
 * order in which the families came: the shared X.509 families grew out of the first source's
 * (ELB), so a source may lead them with its own (`leading`); sources added since write theirs
 * after the shared resource families (`trailing`), in the sources' order; the families that
 * relate resources across sources or report how each source was read close the exposition.
 * A new source's families land in `trailing`, which keeps every existing family where it was.
 */
export function polledFamilies(
  modules: readonly MetricsSource[],
  options: RenderOptions,
): readonly PolledFamily[] {
  type Pick = (
    families: SourceFamilies<SourceSnapshotBase>,
  ) => readonly SourceFamily<SourceSnapshotBase>[];
  const own = (pick: Pick): PolledFamily[] =>
    modules.flatMap((module) => pick(module.families).map((family) => ownFamily(module, family)));
  return [
    ...own((families) => families.leading),
    ...resourceFamilies(options),
    ...own((families) => families.trailing),
    ...statusFamilies(),
  ];
}
