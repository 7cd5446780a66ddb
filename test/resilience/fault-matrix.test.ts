// The fault matrix: every upstream fault against every call the daemon makes (ELB list and show,
// GeminiDB list and download link, the OBS download), each case in a fresh simulator and daemon.
// For each it proves: the poll ends in bounded time, the failure is counted under the expected
// reason, the last good series are still served, hwcert_source_up (and the CA link gauge) say
// what broke, and the next poll after the fault is cleared recovers with no further errors.

import { describe, it, type ExpectStatic } from "vitest";
import type { FaultAction, Operation, ServiceName, Simulator } from "../../src/simulator/index.js";
import { startTestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";
import { LINK_UP, certificateSeries, errorGrowth, startWorld, type World } from "./world.js";

/** Generous: the slowest case (Retry-After 1 on two concurrent calls) takes about 2 s. */
const POLL_BOUND_MS = 20_000;
/**
 * The per-attempt deadline. Only the faults that must end as a timeout get the short one, and
 * each of them answers at least three times later or never, so load can only widen the gap.
 * Every other fault gets a deadline no busy machine reaches: with the short one, a starved
 * simulator could turn "a 1 GiB body" or "HTTP 500" into a timeout.
 */
const SHORT_TIMEOUT_SECONDS = "0.75";
const GENEROUS_TIMEOUT_SECONDS = "15";
const GiB = 1024 * 1024 * 1024;

type Target = "elb-list" | "elb-show" | "geminidb-list" | "geminidb-link" | "obs-download";

interface TargetSpec {
  readonly source: "elb" | "geminidb";
  readonly service: ServiceName;
  readonly operation: Operation;
  /** Settings that make the daemon use this call (ELB show needs configured ids). */
  readonly environment?: (world: World) => Record<string, string>;
  /** Where a failure shows: the whole source goes down, or only the instances' CA links. */
  readonly scope: "source" | "link";
}

const TARGETS: Readonly<Record<Target, TargetSpec>> = {
  "elb-list": { source: "elb", service: "elb", operation: "elb.listCertificates", scope: "source" },
  "elb-show": {
    source: "elb",
    service: "elb",
    operation: "elb.showCertificate",
    scope: "source",
    environment: (world) => ({ HWCERT_ELB_CERTIFICATE_IDS: world.elbIds.join(",") }),
  },
  "geminidb-list": {
    source: "geminidb",
    service: "geminidb",
    operation: "geminidb.listInstances",
    scope: "source",
  },
  "geminidb-link": {
    source: "geminidb",
    service: "geminidb",
    operation: "geminidb.showDownloadLink",
    scope: "link",
  },
  "obs-download": {
    source: "geminidb",
    service: "obs",
    operation: "obs.getObject",
    scope: "link",
  },
};

/** What a fault must lead to: the counted reason and whether the source stays up. */
interface Outcome {
  /** null: no error at all (the answer was acceptable). */
  readonly reason: string | null;
  readonly up: boolean;
}

/** One fault: its rules for a target (several rules when bodies differ per resource). */
interface Fault {
  readonly name: string;
  readonly targets: readonly Target[];
  readonly actions: (target: Target, world: World) => readonly RuleSpec[];
  readonly outcome: (target: Target) => Outcome;
  /** The fault is a slow or silent upstream: the case runs with the short deadline. */
  readonly provokesTimeout?: true;
}

interface RuleSpec {
  readonly action: FaultAction;
  readonly pathIncludes?: string;
}

const ALL: readonly Target[] = Object.keys(TARGETS) as Target[];
const API: readonly Target[] = ALL.filter((t) => t !== "obs-download");
const LISTS: readonly Target[] = ["elb-list", "geminidb-list"];

const one = (action: FaultAction) => (): readonly RuleSpec[] => [{ action }];

/**
 * The daemon's reason for a transport-level fault: API calls report the transport reason, the
 * link API reports link_api_error, a download reports its own reason.
 */
const transport =
  (api: string, download: string) =>
  (target: Target): Outcome => {
    if (target === "geminidb-link") return { reason: "link_api_error", up: true };
    if (target === "obs-download") return { reason: download, up: true };
    return { reason: api, up: false };
  };

/** JSON bodies of the wrong shape, per call. */
const WRONG_BODIES: Readonly<
  Record<"missing" | "types" | "nulls" | "null", Readonly<Record<Target, unknown>>>
> = {
  missing: {
    "elb-list": { page_info: { current_count: 0 } },
    "elb-show": { request_id: "r-1" },
    "geminidb-list": { total_count: 2 },
    "geminidb-link": {},
    "obs-download": {},
  },
  types: {
    "elb-list": { certificates: { 0: "one" }, page_info: "none" },
    "elb-show": { certificate: ["not", "an", "object"] },
    "geminidb-list": { instances: "two", total_count: "2" },
    "geminidb-link": { certs: [{ category: 5, download_link: 7 }] },
    "obs-download": { certs: 5 },
  },
  nulls: {
    "elb-list": { certificates: null, page_info: null },
    "elb-show": { certificate: null },
    "geminidb-list": { instances: null, total_count: null },
    "geminidb-link": { certs: [{ category: null, download_link: null }] },
    "obs-download": { certificate: null },
  },
  null: {
    "elb-list": null,
    "elb-show": null,
    "geminidb-list": null,
    "geminidb-link": null,
    "obs-download": null,
  },
};

const EXTRA = { extra_field: "surprise", extra_object: { nested: [1, null, "x"] } };

/** Valid answers with fields the daemon does not know: they must be accepted. */
function extraFieldRules(target: Target, world: World): RuleSpec[] {
  const { sim } = world;
  const json = (body: unknown, pathIncludes?: string): RuleSpec => ({
    action: { kind: "json", body },
    ...(pathIncludes === undefined ? {} : { pathIncludes }),
  });
  switch (target) {
    case "elb-list":
      return [
        json({
          certificates: sim.elb.list().map((info) => ({ ...info, ...EXTRA })),
          page_info: { current_count: world.elbIds.length, ...EXTRA },
          ...EXTRA,
        }),
      ];
    case "elb-show":
      return world.elbIds.map((id) =>
        json({ certificate: { ...sim.elb.get(id), ...EXTRA }, ...EXTRA }, id),
      );
    case "geminidb-list":
      return [
        json({
          instances: sim.geminidb.listInstances().map((wire) => ({ ...wire, ...EXTRA })),
          total_count: world.instanceIds.length,
          ...EXTRA,
        }),
      ];
    case "geminidb-link":
      return world.instanceIds.map((id) => {
        const location = sim.geminidb.caObjectLocation(id)!;
        const link = sim.obs.presign(location.bucket, location.key, 600);
        return json(
          { certs: [{ category: "international", download_link: link, ...EXTRA }], ...EXTRA },
          id,
        );
      });
    case "obs-download":
      return [];
  }
}

/** List answers whose entries are off-contract: counted, and the known resources are kept. */
function wrongEntryRules(target: Target, world: World): RuleSpec[] {
  const { sim } = world;
  if (target === "elb-list") {
    const [first, second] = sim.elb.list();
    const body = {
      certificates: [
        { ...first, name: 5 },
        { ...second, id: null },
      ],
      page_info: { current_count: 2 },
    };
    return [{ action: { kind: "json", body } }];
  }
  const [first, second] = sim.geminidb.listInstances();
  const body = {
    instances: [
      { ...first, id: 7 },
      { ...second, datastore: "x" },
    ],
    total_count: 2,
  };
  return [{ action: { kind: "json", body } }];
}

const FAULTS: readonly Fault[] = [
  {
    name: "HTTP 500",
    targets: ALL,
    actions: one({ kind: "status", status: 500 }),
    outcome: transport("http_5xx", "http_status"),
  },
  {
    name: "HTTP 502 with an HTML page",
    targets: ALL,
    actions: one({ kind: "status", status: 502, body: "html" }),
    outcome: transport("http_5xx", "http_status"),
  },
  {
    name: "HTTP 503",
    targets: ALL,
    actions: one({ kind: "status", status: 503 }),
    outcome: transport("http_5xx", "http_status"),
  },
  {
    name: "HTTP 429 with Retry-After: 1",
    targets: ALL,
    actions: one({ kind: "status", status: 429, retryAfter: "1" }),
    outcome: transport("rate_limited", "http_status"),
  },
  {
    name: "HTTP 429 without Retry-After",
    targets: ALL,
    actions: one({ kind: "status", status: 429 }),
    outcome: transport("rate_limited", "http_status"),
  },
  {
    name: "HTTP 429 with Retry-After: 3600 (not waited for)",
    targets: API,
    actions: one({ kind: "status", status: 429, retryAfter: "3600" }),
    outcome: transport("rate_limited", "http_status"),
  },
  {
    name: "HTTP 200 with an HTML page",
    targets: ALL,
    actions: one({ kind: "status", status: 200, body: "html" }),
    outcome: transport("api_shape", "bad_content"),
  },
  {
    name: "connection reset",
    targets: ALL,
    actions: one({ kind: "reset" }),
    outcome: transport("network", "network"),
  },
  {
    name: "no answer at all",
    provokesTimeout: true,
    targets: ALL,
    actions: one({ kind: "hang" }),
    outcome: transport("timeout", "timeout"),
  },
  {
    name: "an answer after the timeout",
    provokesTimeout: true,
    targets: ALL,
    actions: one({ kind: "delay", ms: 5_000 }),
    outcome: transport("timeout", "timeout"),
  },
  {
    name: "a body at 20 bytes per second",
    provokesTimeout: true,
    targets: ALL,
    actions: one({ kind: "slow-body", bytesPerSecond: 20 }),
    outcome: transport("timeout", "timeout"),
  },
  {
    name: "a well-framed body cut in half",
    targets: ALL,
    actions: one({ kind: "truncate", mode: "end" }),
    outcome: transport("api_shape", "bad_content"),
  },
  {
    name: "a body cut off by the connection",
    targets: ALL,
    actions: one({ kind: "truncate", mode: "destroy" }),
    outcome: transport("network", "network"),
  },
  ...(["missing", "types", "nulls", "null"] as const).map((shape): Fault => ({
    name: `JSON with ${shape === "types" ? "wrong types" : shape === "null" ? "a null body" : `${shape} fields`}`,
    targets: ALL,
    actions: (target) => [{ action: { kind: "json", body: WRONG_BODIES[shape][target] } }],
    outcome: transport("api_shape", "bad_content"),
  })),
  // Chunked floods and gzip bombs, which must be read up to the cap, are in floods.test.ts:
  // reading 64 MiB may take longer than a deadline suited to this file.
  {
    name: "a 1 GiB body with its Content-Length",
    targets: ALL,
    actions: one({ kind: "flood", bytes: GiB }),
    outcome: transport("api_shape", "too_large"),
  },
  {
    name: "JSON nested a million levels deep",
    targets: API,
    actions: one({ kind: "status", status: 200, body: `${"[".repeat(1e6)}${"]".repeat(1e6)}` }),
    outcome: transport("api_shape", "bad_content"),
  },
  {
    name: "list entries of the wrong shape",
    targets: LISTS,
    actions: wrongEntryRules,
    outcome: () => ({ reason: "api_shape", up: true }),
  },
  {
    name: "extra fields",
    targets: API,
    actions: extraFieldRules,
    outcome: () => ({ reason: null, up: true }),
  },
  {
    name: "paging that loops",
    targets: LISTS,
    actions: one({ kind: "pagination-loop" }),
    outcome: () => ({ reason: "api_shape", up: false }),
  },
  {
    name: "paging that never ends",
    targets: LISTS,
    actions: one({ kind: "pagination-endless" }),
    outcome: () => ({ reason: "api_shape", up: false }),
  },
  {
    name: "paging that never ends, every record new",
    targets: LISTS,
    actions: one({ kind: "pagination-endless", fresh: true }),
    outcome: () => ({ reason: "api_shape", up: false }),
  },
];

const CASES = FAULTS.flatMap((fault) =>
  fault.targets.map((target) => ({ name: `${target}: ${fault.name}`, target, fault })),
);

function linkUps(samples: readonly Sample[], world: World): number[] {
  return world.instanceIds.map((id) => valueOf(samples, LINK_UP, { instance_id: id }));
}

function sourceUp(samples: readonly Sample[], source: string): number {
  return valueOf(samples, "hwcert_source_up", { source });
}

async function runCase(target: Target, fault: Fault, expect: ExpectStatic): Promise<void> {
  const spec = TARGETS[target];
  // One record per page, so the paging faults have pages to act on.
  const world = await startWorld({ elbPageSizeCap: 1, geminidbPageSizeCap: 1 });
  const { sim } = world;
  const exporter = await startTestDaemon(sim, {
    HWCERT_HTTP_TIMEOUT_SECONDS: fault.provokesTimeout
      ? SHORT_TIMEOUT_SECONDS
      : GENEROUS_TIMEOUT_SECONDS,
    // The endless-paging cases make 1,000 requests; the default 10 per second would take 100 s.
    HWCERT_API_RATE_LIMIT: "1000",
    ...spec.environment?.(world),
  });
  try {
    await exporter.waitForPolls(1);
    const before = await exporter.scrape();
    expect(sourceUp(before, "elb")).toBe(1);
    expect(sourceUp(before, "geminidb")).toBe(1);
    expect(linkUps(before, world)).toEqual([1, 1]);
    const good = certificateSeries(before, spec.source);
    expect(good.length).toBeGreaterThan(0);

    addRules(sim, spec, fault.actions(target, world));
    const started = performance.now();
    expect(await exporter.daemon.pollNow()).toBe("completed");
    expect(performance.now() - started).toBeLessThan(POLL_BOUND_MS);

    const during = await exporter.scrape();
    const outcome = fault.outcome(target);
    const grown = errorGrowth(before, during, spec.source);
    if (outcome.reason === null) expect(grown).toEqual({});
    else expect(grown[outcome.reason] ?? 0, JSON.stringify(grown)).toBeGreaterThanOrEqual(1);
    expect(sourceUp(during, spec.source)).toBe(outcome.up ? 1 : 0);
    if (spec.scope === "link" && outcome.reason !== null) {
      expect(linkUps(during, world)).toEqual([0, 0]);
    }
    // The last good series are still served, unchanged.
    expect(certificateSeries(during, spec.source)).toEqual(good);
    // The other source is not affected.
    const other = spec.source === "elb" ? "geminidb" : "elb";
    expect(sourceUp(during, other)).toBe(1);

    sim.faults.clear();
    expect(await exporter.daemon.pollNow()).toBe("completed");
    const after = await exporter.scrape();
    expect(errorGrowth(during, after, spec.source)).toEqual({});
    expect(sourceUp(after, spec.source)).toBe(1);
    expect(linkUps(after, world)).toEqual([1, 1]);
    expect(certificateSeries(after, spec.source)).toEqual(good);
    expect(select(after, "hwcert_source_last_success_timestamp_seconds")).toHaveLength(2);
  } finally {
    await exporter.stop();
    await sim.close();
  }
}

function addRules(sim: Simulator, spec: TargetSpec, rules: readonly RuleSpec[]): void {
  for (const rule of rules) {
    sim.faults.add({
      service: spec.service,
      match: {
        operation: spec.operation,
        ...(rule.pathIncludes === undefined ? {} : { pathIncludes: rule.pathIncludes }),
      },
      action: rule.action,
    });
  }
}

describe("fault matrix: every fault against every upstream call", () => {
  it.concurrent.for(CASES)("$name", async ({ target, fault }, { expect }) => {
    await runCase(target, fault, expect);
  });
});
