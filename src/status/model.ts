// Builds the status model, the one view of a poll's results that the status page, its JSON and
// the `check` command all render: every certificate with its time left, usage and severity (as
// severity.ts decides them), each source's health, each GeminiDB instance's CA links, and what
// could not be read. Generic: each source's module (injected) says what its rows are; nothing
// here knows a source by name. Pure: no I/O, no clock, no formatting.

import type { ChainPosition } from "../certs/types.js";
import type { Snapshot, SourceSnapshotBase } from "../poll/snapshot.js";
import {
  resourceProblems,
  type ProblemResource,
  type ProblemSource,
} from "../poll/resource-problems.js";
import type { ErrorReason } from "../reasons.js";
import { moduleOf, SOURCE_CATALOGUE, type ResourceKind, type SourceName } from "../source-names.js";
import { judgeRow, type CertificateRow, type InstanceRow, type SourceRows } from "./rows.js";
import {
  ccmCertificateUsers,
  SEVERITIES,
  type CcmUserResource,
  type ExpiryThresholds,
  type Severity,
  type UsageContext,
  type UsageSource,
  type Validity,
} from "./severity.js";

export type {
  CaLinkRow,
  CertificateDraft,
  CertificateRow,
  InstanceRow,
  ListenerUse,
  SourceRows,
} from "./rows.js";

export interface SourceRow {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  /** false also before the first attempt; see lastAttemptSeconds. */
  readonly up: boolean;
  readonly lastSuccessSeconds: number | null;
  readonly lastAttemptSeconds: number | null;
  readonly lastError: { readonly reason: ErrorReason; readonly message: string } | null;
  /** Certificates (ELB) or instances (GeminiDB) currently held. */
  readonly resources: number;
}

/**
 * Something that could not be read: a whole source (in its last attempt), or one resource in
 * the last poll that read it (an ELB certificate's PEM, a GeminiDB CA link, a CCM certificate's
 * details; see resource-problems.ts).
 */
export interface Problem {
  readonly source: SourceName;
  readonly region: string;
  readonly projectId: string;
  /** null for a whole source. */
  readonly resource: {
    readonly id: string;
    readonly name: string;
    readonly kind: ResourceKind;
    /** GeminiDB: the CA download link's category (may be ""); "" for other sources. */
    readonly category: string;
  } | null;
  readonly reason: ErrorReason | null;
  /** Secret-free text (cloud errors are built without URLs or headers, then scrubbed). */
  readonly message: string;
}

export interface StatusModel {
  readonly version: string;
  readonly generatedAtSeconds: number;
  readonly completedPolls: number;
  readonly lastPoll: {
    readonly startedAtSeconds: number;
    readonly finishedAtSeconds: number;
  } | null;
  readonly nextPollSeconds: number | null;
  readonly pollInProgress: boolean;
  /** Sorted by time left, expired first. */
  readonly certificates: readonly CertificateRow[];
  readonly counts: Readonly<Record<Severity, number>>;
  readonly sources: readonly SourceRow[];
  readonly instances: readonly InstanceRow[];
  readonly problems: readonly Problem[];
}

/**
 * What the status model needs of a source module (src/sources/source.ts SourceModule): its
 * resources, how their use is judged and what its rows are.
 */
export interface StatusSource<
  S extends SourceSnapshotBase = SourceSnapshotBase,
> extends UsageSource<S> {
  resources(snapshot: S): Iterable<ProblemResource & CcmUserResource>;
  rows(snapshot: S, context: UsageContext): SourceRows;
}

export interface StatusInput {
  readonly snapshot: Snapshot;
  /** The module of every source the snapshot may hold (src/sources/index.ts SOURCES). */
  readonly sources: readonly StatusSource[];
  readonly version: string;
  /** Unix seconds. */
  readonly now: number;
  readonly nextPollSeconds: number | null;
  readonly pollInProgress: boolean;
  /**
   * The threshold rule for one certificate of a resource: lifetime-relative (page) or fixed days
   * (check), unless the operator set the resource's own.
   */
  readonly thresholds: (validity: Validity, resourceId: string) => ExpiryThresholds;
  /** Applied to every error message shown (the daemon's secret scrubber). */
  readonly redact?: (text: string) => string;
  /** Resource ids the operator marked as only stored (HWCERT_STORED_CERTIFICATES). */
  readonly storedCertificates?: ReadonlySet<string>;
  /**
   * Judge stored certificates as if they were in use (`check --include-stored`); their rows
   * still say they are stored.
   */
  readonly includeStored?: boolean;
}

const CHAIN_ORDER: Readonly<Record<ChainPosition, number>> = { leaf: 0, intermediate: 1, root: 2 };

export function buildStatusModel(input: StatusInput): StatusModel {
  const redact = input.redact ?? ((text: string) => text);
  const context: UsageContext = {
    storedCertificates: input.storedCertificates ?? new Set(),
    ccmUsers: ccmCertificateUsers(input.sources, input.snapshot.sources),
  };
  const certificates: CertificateRow[] = [];
  const instances: InstanceRow[] = [];
  const sourceProblems: Problem[] = [];
  const perResource: Problem[] = [];

  const sources = input.snapshot.sources.map((source): SourceRow => {
    const module = moduleOf(input.sources, source);
    const rows = module.rows(source, context);
    const judge = {
      now: input.now,
      thresholds: input.thresholds,
      usage: (resourceId: string) => module.usage(source, resourceId, context),
      includeStored: input.includeStored === true,
    };
    for (const draft of rows.certificates) certificates.push(judgeRow(source, draft, judge));
    instances.push(...rows.instances);
    const row = sourceRow(module, source, redact);
    if (!row.up && row.lastAttemptSeconds !== null) sourceProblems.push(sourceProblem(row));
    perResource.push(...problemsOf(module, source, redact));
    return row;
  });

  certificates.sort(compareRows);
  const lastPoll = input.snapshot.lastPoll;
  return {
    version: input.version,
    generatedAtSeconds: input.now,
    completedPolls: input.snapshot.completedPolls,
    lastPoll: lastPoll
      ? {
          startedAtSeconds: lastPoll.startedAtSeconds,
          finishedAtSeconds: lastPoll.finishedAtSeconds,
        }
      : null,
    nextPollSeconds: input.nextPollSeconds,
    pollInProgress: input.pollInProgress,
    certificates,
    counts: countSeverities(certificates),
    sources,
    instances,
    problems: [...sourceProblems, ...perResource],
  };
}

function sourceRow(
  module: StatusSource,
  source: SourceSnapshotBase,
  redact: (text: string) => string,
): SourceRow {
  return {
    source: source.source,
    region: source.region,
    projectId: source.projectId,
    up: source.up,
    lastSuccessSeconds: source.lastSuccessSeconds,
    lastAttemptSeconds: source.lastAttemptSeconds,
    lastError: source.lastError
      ? { reason: source.lastError.reason, message: redact(source.lastError.message) }
      : null,
    resources: countResources(module, source),
  };
}

/** How many resources (certificates, instances) a source snapshot holds. */
function countResources(module: StatusSource, source: SourceSnapshotBase): number {
  let count = 0;
  const resources = module.resources(source)[Symbol.iterator]();
  while (resources.next().done !== true) count += 1;
  return count;
}

/** A whole source that could not be read in its last attempt. */
function sourceProblem(row: SourceRow): Problem {
  return {
    source: row.source,
    region: row.region,
    projectId: row.projectId,
    resource: null,
    reason: row.lastError?.reason ?? null,
    message: row.lastError?.message ?? "the source could not be read",
  };
}

function problemsOf(
  module: ProblemSource,
  source: SourceSnapshotBase,
  redact: (text: string) => string,
): Problem[] {
  const kind = SOURCE_CATALOGUE[source.source].resourceKind;
  return resourceProblems(module, source).map((problem) => ({
    source: source.source,
    region: source.region,
    projectId: source.projectId,
    resource: {
      id: problem.resourceId,
      name: problem.resourceName,
      kind,
      category: problem.category,
    },
    reason: problem.reason,
    message: redact(problem.message),
  }));
}

function countSeverities(rows: readonly CertificateRow[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const row of rows) counts[row.severity] += 1;
  return counts;
}

/** Least time left first; ties by name, then chain position, so the order is stable. */
function compareRows(a: CertificateRow, b: CertificateRow): number {
  return (
    a.secondsLeft - b.secondsLeft ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.resourceName, b.resourceName) ||
    compareText(a.resourceId, b.resourceId) ||
    (a.chainPosition ? CHAIN_ORDER[a.chainPosition] : 3) -
      (b.chainPosition ? CHAIN_ORDER[b.chainPosition] : 3) ||
    compareText(a.serialNumber, b.serialNumber)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
