// The status page's HTML as text: hostile values appear only escaped, the only script and style
// are the ones whose hashes the Content-Security-Policy names, and the JSON form has the rows.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { STATUS_PAGE_CSP } from "../../../src/server/status-assets.js";
import { renderStatusPage } from "../../../src/server/status-page.js";
import { statusToJson } from "../../../src/status/json.js";
import { buildStatusModel } from "../../../src/status/model.js";
import type { ListenerBinding } from "../../../src/sources/elb/snapshot.js";
import { lifetimeThresholds } from "../../../src/status/severity.js";
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

const HOSTILE = [
  "<script>window.pwned=1</script>",
  '"><img src=x onerror=alert(1)>',
  "' autofocus onfocus='alert(1)",
  "</td></tr></tbody></table><h1>injected</h1>",
];

function page(): string {
  const model = buildStatusModel({
    snapshot: snapshot(
      elbSource(
        HOSTILE.map((name, index) =>
          elbCertificate(`id-${index}`, name, [
            x509(-10, 80 + index, { subjectCn: name, issuerCn: name }),
          ]),
        ),
        { up: false, lastError: { reason: "api_shape", message: HOSTILE[0] ?? "" } },
      ),
      geminiDbSource([
        { ...instance("i1", HOSTILE[1] ?? "", [link([], false)]), datastoreType: HOSTILE[2] ?? "" },
      ]),
    ),
    version: "<b>1</b>",
    now: NOW,
    nextPollSeconds: NOW + 60,
    pollInProgress: true,
    thresholds: lifetimeThresholds,
  });
  return renderStatusPage(model);
}

describe("renderStatusPage", () => {
  it("shows hostile values only escaped", () => {
    const html = page();
    for (const value of HOSTILE) expect(html).not.toContain(value);
    expect(html).toContain("&lt;script&gt;window.pwned=1&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/<img|<h1>injected|onerror=alert\(1\)>/);
    expect(html).toContain("&lt;b&gt;1&lt;/b&gt;");
    // Exactly one script element: the page's own.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
  });

  it("carries only the inline script and style the CSP hashes allow", () => {
    const html = page();
    const hash = (text: string): string =>
      `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    expect(STATUS_PAGE_CSP).toContain(`script-src ${hash(script)}`);
    expect(STATUS_PAGE_CSP).toContain(`style-src ${hash(style)}`);
    expect(STATUS_PAGE_CSP).toMatch(/^default-src 'none'; /);
    expect(STATUS_PAGE_CSP).not.toContain("unsafe");
    // Escaped text holds no "<", so every match here is a real tag of the page's own.
    const tags = html.match(/<[a-z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(50);
    for (const tag of tags) {
      // Attribute values are escaped, so a raw '"' always closes one: drop the values.
      expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\s(on[a-z]+|style|src)=/i);
      expect(tag).not.toMatch(/href="(?!\?format=json"|\/[a-z]*")/);
    }
  });

  it("has one row per certificate with its severity class", () => {
    const html = page();
    expect(html.match(/<tr class="sev-(ok|warning|critical|expired)"/g)).toHaveLength(4);
  });
});

describe("renderStatusPage: what could not be read", () => {
  it("lists each unreadable resource by name, kind and reason, and counts them", () => {
    const html = renderStatusPage(
      buildStatusModel({
        snapshot: snapshot(
          elbSource([
            {
              ...elbCertificate("c2", "broken-upload", [], NOW + 60 * 86_400),
              problems: [{ reason: "bad_pem", message: "no certificate found" }],
            },
          ]),
          geminiDbSource([instance("db-1", "orders", [link([], false)])]),
        ),
        version: "v",
        now: NOW,
        nextPollSeconds: null,
        pollInProgress: false,
        thresholds: lifetimeThresholds,
      }),
    );
    const section = /<table id="problems">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "";
    const rows = section.match(/<tr class="down">[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("<bdi>broken-upload</bdi>");
    expect(rows[0]).toContain("<bdi>c2</bdi>");
    expect(rows[0]).toContain("ELB certificate");
    expect(rows[0]).toContain("<code>bad_pem</code>");
    expect(rows[0]).toContain("<bdi>no certificate found</bdi>");
    expect(rows[1]).toContain("GeminiDB instance · link <bdi>international</bdi>");
    expect(html).toContain('<li class="chip down">1 CA link(s) down</li>');
    expect(html).toContain('<li class="chip problem">2 resource problems</li>');
  });

  it("has no such section when everything could be read", () => {
    const html = renderStatusPage(
      buildStatusModel({
        snapshot: snapshot(elbSource([elbCertificate("c1", "www", [x509(-10, 80)])])),
        version: "v",
        now: NOW,
        nextPollSeconds: null,
        pollInProgress: false,
        thresholds: lifetimeThresholds,
      }),
    );
    expect(html).not.toContain('id="problems"');
    expect(html).not.toContain("chip problem");
  });
});

describe("renderStatusPage: usage and severity", () => {
  const listener: ListenerBinding = {
    role: "sni",
    listenerId: "l1",
    listenerName: "shop-https",
    protocol: "HTTPS",
    port: 443,
    loadBalancerId: "lb1",
    tags: {},
  };
  const model = buildStatusModel({
    snapshot: snapshot(
      elbSource(
        [
          { ...elbCertificate("e1", "bound", [x509(-80, 5)]), ccmCertificateId: "scs-used" },
          elbCertificate("e2", "spare", [x509(-80, 5)]),
        ],
        { listenerBindings: new Map([["e1", [listener]]]) },
      ),
      elbSource([elbCertificate("e3", "legacy", [x509(-80, 5)])], { projectId: "p2" }),
      ccmSource([
        ccmCertificate("scs-used", "used", -80, 300),
        ccmCertificate("scs-leaked", "leaked", -80, 300, "revoked"),
        ccmCertificate("scs-old", "old", -400, -1),
        ccmCertificate("scs-kept", "kept", -80, 300, "revoked"),
      ]),
      geminiDbSource([instance("i1", "db", [link([x509(-10, 400, { chainPosition: "root" })])])]),
    ),
    version: "v",
    now: NOW,
    nextPollSeconds: null,
    pollInProgress: false,
    thresholds: lifetimeThresholds,
    storedCertificates: new Set(["scs-old", "scs-kept"]),
  });
  const html = renderStatusPage(model);
  const rowOf = (name: string): string =>
    html.split("\n").find((line) => line.includes(`<bdi>${name}</bdi><span class="sub id"`)) ?? "";

  it("colours a revoked CCM certificate in use critical and stored ones as notices", () => {
    expect(rowOf("leaked")).toContain('class="sev-critical"');
    expect(rowOf("bound")).toContain('class="sev-critical"');
    expect(rowOf("legacy")).toContain('class="sev-critical"');
    for (const name of ["spare", "old", "kept"]) {
      expect(rowOf(name), name).toContain('class="sev-notice"');
      expect(rowOf(name), name).toContain('<span class="badge">Notice</span>');
    }
    expect(html).toContain('<li class="chip sev-notice">3 notice</li>');
    expect(html).toContain('<li class="chip sev-critical">3 critical</li>');
  });

  it("says who uses each certificate, and why it counts as stored or in use", () => {
    expect(rowOf("bound")).toContain("<summary>1 listener</summary>");
    expect(rowOf("spare")).toContain('title="No ELB listener uses this certificate">stored only');
    expect(rowOf("legacy")).toContain(">unknown</span>");
    expect(rowOf("used")).toContain("<summary>1 user</summary><ul><li>ELB · <bdi>bound</bdi>");
    expect(rowOf("leaked")).toContain(">assumed in use</span>");
    expect(rowOf("old")).toContain('title="Listed in HWCERT_STORED_CERTIFICATES');
    expect(rowOf("db")).toContain(">instance</span>");
  });

  it("says truthfully what the colours mean", () => {
    const footer = /<footer>([\s\S]*)<\/footer>/.exec(html)?.[1] ?? "";
    expect(footer).toContain("Colours follow the alert rules.");
    expect(footer).toMatch(/in use \(or whose use is unknown\)/);
    expect(footer).toMatch(
      /only <b>stored<\/b>[^<]*<code>HWCERT_STORED_CERTIFICATES<\/code>[^<]*is a <b>notice<\/b>/,
    );
    expect(footer).toContain("never pages");
    expect(footer).toMatch(/<b>critical<\/b>[^.]*revoked/);
  });

  it("carries the usage into the JSON", () => {
    const json = statusToJson(model) as {
      summary: Record<string, number>;
      certificates: { resourceName: string; usage: string; usedBy: unknown }[];
    };
    expect(json.summary).toMatchObject({ expired: 0, critical: 3, notice: 3 });
    const byName = new Map(json.certificates.map((row) => [row.resourceName, row]));
    expect(byName.get("spare")).toMatchObject({ usage: "stored", usedBy: null });
    expect(byName.get("leaked")).toMatchObject({ usage: "in_use", usedBy: [] });
    expect(byName.get("used")?.usedBy).toEqual([
      {
        source: "elb",
        region: "ap-southeast-1",
        projectId: "p1",
        resourceId: "e1",
        resourceName: "bound",
      },
    ]);
    expect(byName.get("legacy")).toMatchObject({ usage: "unknown" });
  });
});

describe("renderStatusPage before the first poll", () => {
  it("says so instead of showing an empty table as if all were well", () => {
    const html = renderStatusPage(
      buildStatusModel({
        snapshot: { sources: [], completedPolls: 0, lastPoll: null },
        version: "v",
        now: NOW,
        nextPollSeconds: null,
        pollInProgress: true,
        thresholds: lifetimeThresholds,
      }),
    );
    expect(html).toContain("The first poll has not completed yet");
    expect(html).toContain("No poll completed yet · polling now · no poll scheduled");
    expect(html).toContain("No certificates found.");
  });
});

describe("statusToJson", () => {
  it("keeps hostile values as plain strings with ISO times", () => {
    const model = buildStatusModel({
      snapshot: snapshot(elbSource([elbCertificate("c1", HOSTILE[0] ?? "", [x509(-10, 1)])])),
      version: "v",
      now: NOW,
      nextPollSeconds: null,
      pollInProgress: false,
      thresholds: lifetimeThresholds,
    });
    const json = statusToJson(model) as {
      certificates: Record<string, unknown>[];
      generatedAt: string;
    };
    expect(json.generatedAt).toBe("2030-03-17T17:46:40Z");
    expect(json.certificates[0]).toMatchObject({
      resourceName: HOSTILE[0],
      severity: "critical",
      daysLeft: 1,
      notAfter: "2030-03-18T17:46:40Z",
      chainPosition: "leaf",
    });
  });
});
