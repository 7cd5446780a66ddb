// The contract every source folder fulfils, and the only way the generic layers see a source:
// how it is polled, what its resources are (for the shared metric families, the one severity
// model and the problem list), its own metric families and its status rows. Generic code in
// poll/, metrics/ and status/ receives these modules from the wiring (sources/index.ts); a
// source never imports another source.

import type { ParsedCertificate } from "../certs/types.js";
import type { PollContext, SourcePoll, SourceScope } from "../poll/poll-context.js";
import type { ResourceProblem, SourceKey, SourceSnapshotBase } from "../poll/snapshot.js";
import type { SourceName } from "../source-names.js";
import type { SourceRows } from "../status/rows.js";
import type { SourceFamilies } from "../metrics/family.js";
import type { Usage, UsageContext } from "../status/severity.js";

/**
 * One resource of a source (an ELB certificate, a GeminiDB instance, a CCM certificate) as the
 * shared families, the verdict and the problem list read it. Built on demand from the source's
 * own state; never stored.
 */
export interface ResourceView {
  readonly id: string;
  readonly name: string;
  /** ELB certificate type (`server`, `client`), GeminiDB datastore type, CCM certificate type. */
  readonly type: string;
  /** `"0"` is the default enterprise project; "" when the API did not say. */
  readonly enterpriseProjectId: string;
  /** The value of a configured owner tag (HWCERT_OWNER_TAGS) key; "" when the resource has none. */
  ownerTag(key: string): string;
  /** Its X.509 certificates, each once (a CA served under two download categories is one). */
  readonly certificates: readonly ParsedCertificate[];
  /** The Cloud Certificate Manager certificate this resource uses or is managed by; null: none. */
  readonly ccmCertificateId: string | null;
  /** What could not be read, in a stable order; a part's name (a link category) or "". */
  readonly problems: readonly (ResourceProblem & { readonly category: string })[];
}

/** Where a source snapshot belongs: its region and project (the account's for global services). */
export type SourceLocation = Omit<SourceKey, "source">;

export interface SourceModule<S extends SourceSnapshotBase = SourceSnapshotBase> {
  readonly name: SourceName;
  /** The snapshot before the first poll: nothing known, down, no attempt yet. */
  initialSnapshot(location: SourceLocation): S;
  /** Every resource of a snapshot, in the snapshot's order. */
  resources(snapshot: S): Iterable<ResourceView>;

  /**
   * Whether one of its resources is in use, for the page, `check` and hwcert_resource_in_use:
   * the source gathers its facts, status/severity.ts decideUsage decides.
   */
  usage(snapshot: S, resourceId: string, context: UsageContext): Usage;

  /**
   * Its part of the status model: what each certificate row is (status/rows.ts judges it) and,
   * for GeminiDB, the instances' CA link rows.
   */
  rows(snapshot: S, context: UsageContext): SourceRows;

  /**
   * Polling: whose credentials the source's requests carry (the target's project, or the
   * account for a global service), and its poller for one target, built from a generic context
   * (a client for that scope, the target's logger and configuration, the error counter).
   */
  readonly scope: SourceScope;
  createPoller(context: PollContext): SourcePoll<S>;

  /**
   * Its own metric families, before or after the shared ones (see metrics/polled-families.ts),
   * and what they and the shared ones read of a snapshot besides the source key, its status and
   * the enterprise project names: objects the poller hands back unchanged while their contents
   * are, so the renderer reuses a part by comparing them (see metrics/metrics-source.ts).
   */
  readonly families: SourceFamilies<S>;
  renderInputs(snapshot: S): readonly unknown[];
}
