import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../src/poll/snapshot.js";
import type {
  ElbCertificateState,
  ElbSourceSnapshot,
  ListenerBinding,
} from "../../../src/sources/elb/snapshot.js";
import { linkKey } from "../../../src/sources/geminidb/snapshot.js";
import {
  renderedChunks,
  renderSnapshotMetrics,
  SnapshotRenderer,
  type RenderedFamily,
  type RenderedMetrics,
} from "../../../src/metrics/snapshot-renderer.js";
import type { RenderOptions } from "../../../src/metrics/snapshot-renderer.js";
import { SOURCES } from "../../../src/sources/index.js";
import {
  ccmCertificate,
  ccmSource,
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  NOW,
  snapshot,
  x509,
} from "../../fixtures/snapshots.js";

const OPTIONS: RenderOptions = {
  ownerTags: [{ key: "team", label: "tag_team" }],
  thresholdOverrides: new Map([["cert-b", { warningSeconds: 864_000, criticalSeconds: 86_400 }]]),
  storedCertificates: new Set(["cert-b", "scs-b"]),
};

function text(rendered: RenderedMetrics): string {
  return Buffer.concat(renderedChunks(rendered)).toString("utf8");
}

function binding(listenerId: string, team: string): ListenerBinding {
  return {
    role: "default",
    listenerId,
    listenerName: `listener ${listenerId}`,
    protocol: "HTTPS",
    port: 443,
    loadBalancerId: "lb-1",
    tags: { team },
  };
}

const leafA = x509(-10, 80);
const leafB = x509(-10, 5);
const intermediate = x509(-100, 900, { chainPosition: "intermediate" });
const caOne = x509(-100, 400, { chainPosition: "root", selfSigned: true, isCa: true });
const caTwo = x509(-100, 500, { chainPosition: "root", selfSigned: true, isCa: true });

const elb = elbSource([
  elbCertificate("cert-a", "a", [leafA, intermediate]),
  elbCertificate("cert-b", "b", [leafB, intermediate]),
]);
const elbBound: ElbSourceSnapshot = {
  ...elb,
  listenerBindings: new Map([["cert-a", [binding("l-1", "web")]]]),
};
const gemini = geminiDbSource([instance("db-1", "orders", [link([caOne])])]);
const certB = elb.certificates.get("cert-b")!;
const brokenA: ElbCertificateState = {
  ...elbCertificate("cert-a", "a", [intermediate]),
  problems: [
    { reason: "bad_pem", message: "PEM certificate block 1 is not valid base64" },
    { reason: "bad_certificate", message: "block 2 is not a certificate" },
  ],
};

/** Each step is what a poll could hand over after the previous one. */
const STEPS: readonly { readonly name: string; readonly snapshot: Snapshot }[] = [
  { name: "first poll", snapshot: snapshot(elbBound, gemini) },
  {
    name: "nothing changed but the poll time",
    snapshot: snapshot({ ...elbBound, lastSuccessSeconds: NOW }, { ...gemini }),
  },
  {
    name: "a certificate renewed",
    snapshot: snapshot(
      elbSource(
        [
          elbCertificate("cert-a", "a", [x509(0, 90), intermediate]),
          elbCertificate("cert-b", "b", [leafB, intermediate]),
        ],
        { listenerBindings: elbBound.listenerBindings },
      ),
      gemini,
    ),
  },
  {
    name: "a certificate deleted and the listener's tag changed",
    snapshot: snapshot(
      elbSource([elbCertificate("cert-b", "b", [leafB, intermediate])], {
        listenerBindings: new Map([["cert-b", [binding("l-1", "payments")]]]),
      }),
      gemini,
    ),
  },
  {
    name: "the instance's CA rotated, the ELB source went down",
    snapshot: snapshot(
      { ...elbBound, up: false },
      geminiDbSource([instance("db-1", "orders", [link([caTwo])])]),
    ),
  },
  {
    name: "only the listener bindings changed",
    snapshot: snapshot(
      {
        ...elbBound,
        listenerBindings: new Map([["cert-b", [binding("l-2", "web")]]]),
      },
      gemini,
    ),
  },
  {
    name: "enterprise project names arrived",
    snapshot: snapshot(
      { ...elbBound, enterpriseProjectNames: new Map([["0", "default"]]) },
      { ...gemini, enterpriseProjectNames: new Map([["0", "default"]]) },
    ),
  },
  {
    name: "only the download durations moved",
    snapshot: snapshot(elbBound, {
      ...gemini,
      linkDurations: new Map([[linkKey("db-1", "international"), 0.75]]),
    }),
  },
  {
    name: "a PEM became unreadable and a CA link failed",
    snapshot: snapshot(
      {
        ...elbBound,
        certificates: new Map([
          ["cert-a", brokenA],
          ["cert-b", certB],
        ]),
      },
      geminiDbSource([instance("db-1", "orders", [link([caOne], false)])]),
    ),
  },
  {
    name: "the same problems, the ELB source down (last good kept)",
    snapshot: snapshot(
      {
        ...elbBound,
        up: false,
        certificates: new Map([
          ["cert-a", brokenA],
          ["cert-b", certB],
        ]),
      },
      geminiDbSource([instance("db-1", "orders", [link([caOne], false)])]),
    ),
  },
  { name: "both fixed", snapshot: snapshot(elbBound, gemini) },
  { name: "the GeminiDB source is gone", snapshot: snapshot(elbBound) },
];

describe("SnapshotRenderer", () => {
  it("renders every step exactly as a fresh render would", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    for (const step of STEPS) {
      expect(text(renderer.render(step.snapshot)), step.name).toBe(
        text(renderSnapshotMetrics(SOURCES, step.snapshot, OPTIONS)),
      );
    }
  });

  it("hands back the same families when only the poll time moved", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    const first = renderer.render(snapshot(elbBound, gemini));
    // New GeminiDB instance objects with equal contents (as every poll makes them).
    const again = renderer.render(
      snapshot(
        { ...elbBound, lastSuccessSeconds: NOW },
        geminiDbSource([instance("db-1", "orders", [link([caOne])])]),
      ),
    );
    const changed = again.families
      .map((family, index) => (family === first.families[index] ? null : index))
      .filter((index) => index !== null);
    // Only hwcert_source_last_success_timestamp_seconds (the last family) differs.
    expect(changed).toEqual([first.families.length - 1]);
    expect(text(again)).toContain(`hwcert_source_last_success_timestamp_seconds{source="elb"`);
    expect(text(again)).toContain(`project_id="p1"} ${String(NOW)}`);
  });

  it("writes no ELB text again while the pollers hand back the same maps", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    const first = renderer.render(snapshot(elbBound));
    const firstChunks = new Set(renderedChunks(first));
    const again = renderer.render(snapshot({ ...elbBound, lastSuccessSeconds: NOW }));
    const written = renderedChunks(again).filter((chunk) => !firstChunks.has(chunk));
    // The last-success family (its header and its sample) and nothing else.
    expect(Buffer.concat(written).toString("utf8")).toMatch(
      /^\n# HELP hwcert_source_last_success_timestamp_seconds [^\n]*\n# TYPE [^\n]*\nhwcert_source_last_success_timestamp_seconds\{[^\n]*\} \d+\n$/,
    );
  });
});

describe("SnapshotRenderer: hwcert_resource_problem", () => {
  const PROBLEM = "hwcert_resource_problem";
  const problemFamily = (rendered: RenderedMetrics): RenderedFamily | undefined =>
    rendered.families.find((family) =>
      Buffer.concat(family.chunks).toString("utf8").includes(`# TYPE ${PROBLEM} gauge`),
    );
  const withBroken = (certificates: ReadonlyMap<string, ElbCertificateState>): Snapshot =>
    snapshot({ ...elbBound, certificates }, gemini);

  it("writes one series per resource and reason, and none once fixed", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    const broken = new Map([
      ["cert-a", brokenA],
      ["cert-b", certB],
    ]);
    const lines = (rendered: RenderedMetrics): string[] =>
      text(rendered)
        .split("\n")
        .filter((line) => line.startsWith(`${PROBLEM}{`));
    expect(lines(renderer.render(withBroken(broken)))).toEqual([
      `${PROBLEM}{source="elb",region="ap-southeast-1",project_id="p1",resource_id="cert-a",resource_name="a",reason="bad_pem"} 1`,
      `${PROBLEM}{source="elb",region="ap-southeast-1",project_id="p1",resource_id="cert-a",resource_name="a",reason="bad_certificate"} 1`,
    ]);
    // Two links failing for the same reason are one series of their instance.
    const twoLinks = geminiDbSource([
      instance("db-1", "orders", [link([], false), { ...link([], false), category: "national" }]),
    ]);
    expect(lines(renderer.render(snapshot(twoLinks)))).toEqual([
      `${PROBLEM}{source="geminidb",region="ap-southeast-1",project_id="p1",resource_id="db-1",resource_name="orders",reason="http_status"} 1`,
    ]);
    expect(lines(renderer.render(snapshot(elbBound, gemini)))).toEqual([]);
  });

  it("reuses the family while the problems stay, and writes it again when they change", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    const broken = new Map([
      ["cert-a", brokenA],
      ["cert-b", certB],
    ]);
    const first = problemFamily(renderer.render(withBroken(broken)));
    // A steady poll: the poller hands back the same map.
    const steady = renderer.render({ ...withBroken(broken), completedPolls: 2 });
    expect(problemFamily(steady)).toBe(first);
    // Another reason for the same certificate: a new state object, new text.
    const other = new Map([
      ["cert-a", { ...brokenA, problems: [{ reason: "bad_time" as const, message: "no time" }] }],
      ["cert-b", certB],
    ]);
    const changed = renderer.render(withBroken(other));
    expect(problemFamily(changed)).not.toBe(first);
    expect(text(changed)).toContain('reason="bad_time"} 1');
    expect(text(changed)).not.toContain('reason="bad_pem"');
    expect(text(changed)).toBe(text(renderSnapshotMetrics(SOURCES, withBroken(other), OPTIONS)));
  });
});

describe("SnapshotRenderer: hwcert_resource_in_use", () => {
  // The same CCM source object throughout: only other sources decide whether its certificates
  // are in use, so its part must follow them.
  const ccm = ccmSource([
    ccmCertificate("scs-a", "a", -10, 80),
    ccmCertificate("scs-b", "b", -10, 80),
  ]);
  const usedBy = (ccmId: string | null): ElbSourceSnapshot =>
    elbSource(
      [
        { ...elbCertificate("cert-a", "a", [leafA]), ccmCertificateId: ccmId },
        elbCertificate("cert-b", "b", [leafB]),
      ],
      { listenerBindings: elbBound.listenerBindings },
    );
  const STEPS_IN_USE: readonly { name: string; snapshot: Snapshot; samples: string[] }[] = [
    {
      name: "nothing uses either CCM certificate; scs-b is marked stored",
      snapshot: snapshot(usedBy(null), gemini, ccm),
      samples: [
        'source="elb",region="ap-southeast-1",project_id="p1",resource_id="cert-a"} 1',
        'source="elb",region="ap-southeast-1",project_id="p1",resource_id="cert-b"} 0',
        'source="geminidb",region="ap-southeast-1",project_id="p1",resource_id="db-1"} 1',
        'source="ccm",region="ap-southeast-1",project_id="p1",resource_id="scs-a"} 1',
        'source="ccm",region="ap-southeast-1",project_id="p1",resource_id="scs-b"} 0',
      ],
    },
    {
      name: "an ELB certificate now uses the marked one: the visible use wins",
      snapshot: snapshot(usedBy("scs-b"), gemini, ccm),
      samples: ['resource_id="scs-b"} 1'],
    },
    {
      name: "the ELB certificate no longer uses it",
      snapshot: snapshot(usedBy(null), gemini, ccm),
      samples: ['resource_id="scs-b"} 0'],
    },
    {
      name: "a GeminiDB instance uses it",
      snapshot: snapshot(
        usedBy(null),
        geminiDbSource([{ ...instance("db-1", "orders", []), ccmCertificateId: "scs-b" }]),
        ccm,
      ),
      samples: ['resource_id="scs-b"} 1'],
    },
    {
      name: "the listeners became unknown: cert-a unknown (no series), cert-b marked stored",
      snapshot: snapshot(
        elbSource([elbCertificate("cert-a", "a", [leafA]), elbCertificate("cert-b", "b", [leafB])]),
        gemini,
        ccm,
      ),
      samples: ['resource_id="cert-b"} 0', 'resource_id="scs-b"} 0'],
    },
  ];

  it("follows the other sources in every step, as a fresh render would", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    for (const step of STEPS_IN_USE) {
      const incremental = text(renderer.render(step.snapshot));
      expect(incremental, step.name).toBe(
        text(renderSnapshotMetrics(SOURCES, step.snapshot, OPTIONS)),
      );
      const inUse = incremental
        .split("\n")
        .filter((line) => line.startsWith("hwcert_resource_in_use{"));
      for (const sample of step.samples) {
        expect(
          inUse.some((line) => line.endsWith(sample)),
          `${step.name}: ${sample}`,
        ).toBe(true);
      }
    }
    const last = text(renderer.render(STEPS_IN_USE.at(-1)?.snapshot ?? snapshot()));
    expect(last).not.toMatch(/^hwcert_resource_in_use\{[^}]*resource_id="cert-a"/m);
  });

  it("keeps the family when nothing it reads changed", () => {
    const renderer = new SnapshotRenderer(SOURCES, OPTIONS);
    const first = renderer.render(snapshot(usedBy("scs-a"), gemini, ccm));
    // New ELB and GeminiDB maps with equal contents: the CCM part is written again, same bytes.
    const again = renderer.render(
      snapshot(usedBy("scs-a"), geminiDbSource([instance("db-1", "orders", [link([caOne])])]), ccm),
    );
    const index = first.families.findIndex((family) =>
      Buffer.concat(family.chunks).toString("utf8").includes("# TYPE hwcert_resource_in_use gauge"),
    );
    expect(index).toBeGreaterThan(-1);
    expect(again.families[index]).toBe(first.families[index]);
  });
});
