// What the metrics layer reads of a source module: its resources (for the shared families), its
// usage rule (for hwcert_resource_in_use), the objects its parts are compared by, and its own
// families. The wiring hands the modules in (sources/index.ts); metrics/ never imports a source.

import type { ParsedCertificate } from "../certs/types.js";
import type { SourceSnapshotBase } from "../poll/snapshot.js";
import type { ErrorReason } from "../reasons.js";
import type { SourceName } from "../source-names.js";
import type { Usage, UsageContext } from "../status/severity.js";
import type { SourceFamilies } from "./family.js";

/** One resource as the shared families read it (a narrow view of sources/source.ts's ResourceView). */
export interface MetricsResource {
  readonly id: string;
  readonly name: string;
  readonly enterpriseProjectId: string;
  /** The value of a configured owner tag key; "" when the resource has none. */
  ownerTag(key: string): string;
  /** Its X.509 certificates, each once. */
  readonly certificates: readonly ParsedCertificate[];
  /** The Cloud Certificate Manager certificate this resource uses; null: none. */
  readonly ccmCertificateId: string | null;
  /** What could not be read, in a stable order. */
  readonly problems: readonly { readonly reason: ErrorReason }[];
}

export interface MetricsSource<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  /** Every resource of a snapshot, in the snapshot's order. */
  resources(snapshot: S): Iterable<MetricsResource>;
  /** Whether a resource is in use, only stored, or unknown (no hwcert_resource_in_use series). */
  usage(snapshot: S, resourceId: string, context: UsageContext): Usage;
  /**
   * Everything its families and the shared ones read of a snapshot besides the source key, the
   * status fields and the enterprise project names: objects the poller hands back unchanged
   * (the same identity) while their contents are unchanged, so a part is reused by comparing them.
   */
  renderInputs(snapshot: S): readonly unknown[];
  /** Its own families. */
  readonly families: SourceFamilies<S>;
}
