// The status page in a real headless Chromium (Debian's, driven by playwright-core) against the
// daemon polling the simulator: rows in order of expiry, colours by the alert rules' thresholds
// and usage (stored certificates are notices), the filter and sorting, hostile names shown as
// text, and nothing loaded but the page itself.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { SEVERITY_COLOURS } from "../../src/server/status-assets.js";
import {
  generateCaCertificate,
  generateChain,
  seedDemoScenario,
  startSimulator,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { CHROMIUM, haveChromium, launchChromium } from "../helpers/chromium.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { certificateBlocks, readWithOpenssl } from "../helpers/openssl.js";

const DAY = 86_400;
const DAY_MS = DAY * 1000;

const inCi = Boolean(process.env["CI"]);
if (!haveChromium && !inCi) {
  console.warn(
    `SKIPPED: status page browser tests: ${CHROMIUM} is missing (apt-get install chromium)`,
  );
}

/** Cloud-supplied names meant to break out of the page. */
const HOSTILE_NAMES = [
  "<script>window.__pwned = 1</script>",
  '"><img src=x onerror="window.__pwned = 2">',
  "</td></tr></table><h1 id=injected>x</h1>",
  // A right-to-left override would make this read "exe.png": it is shown as U+FFFD instead.
  "\u202egnp.exe",
] as const;

/** How the page shows a name: bidirectional overrides made visible, all else as it is. */
function shown(name: string): string {
  return name.replace(/[\u202a-\u202e\u2066-\u2069]/g, "\ufffd");
}

type Severity = "expired" | "critical" | "warning" | "notice" | "ok";

interface ExpectedRow {
  readonly name: string;
  readonly notAfter: number;
  readonly severity: Severity;
}

/**
 * The alert rules' thresholds, written out again here so the page is checked against them: in
 * use, expired / critical / warning; stored only, a notice within the warning limit.
 */
function expectedSeverity(
  notBefore: number | null,
  notAfter: number,
  now: number,
  stored: boolean,
): Severity {
  const left = notAfter - now;
  const lifetime = notBefore === null ? null : notAfter - notBefore;
  const warning = lifetime ? Math.min(0.3 * lifetime, 28 * DAY) : 28 * DAY;
  const critical = lifetime ? Math.min(0.1 * lifetime, 7 * DAY) : 7 * DAY;
  if (stored) return left < warning ? "notice" : "ok";
  if (left <= 0) return "expired";
  return left < critical ? "critical" : left < warning ? "warning" : "ok";
}

/** What OpenSSL reads from a PEM: one row per readable certificate (duplicates once). */
function opensslRows(
  name: string,
  pem: string,
): { name: string; notBefore: number; notAfter: number }[] {
  const seen = new Set<string>();
  const rows = [];
  for (const block of certificateBlocks(pem)) {
    let reading;
    try {
      reading = readWithOpenssl(block);
    } catch {
      continue; // the damaged block of a broken PEM
    }
    if (seen.has(reading.fingerprintSha256)) continue;
    seen.add(reading.fingerprintSha256);
    rows.push({ name, notBefore: reading.notBefore, notAfter: reading.notAfter });
  }
  return rows;
}

function hex(colour: string): string {
  const value = Number.parseInt(colour.slice(1), 16);
  return `rgb(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255})`;
}

const launch = launchChromium;

interface PageRow {
  readonly name: string;
  readonly severity: string;
  readonly notAfter: number;
  readonly secondsLeft: number;
  readonly badge: string;
  readonly background: string;
}

/** The little of the DOM the row reader touches (the project compiles without the DOM lib). */
interface DomCell {
  readonly textContent: string | null;
  readonly dataset: Readonly<Record<string, string | undefined>>;
  querySelector(selector: string): { readonly textContent: string | null } | null;
}
interface DomRow {
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly cells: Readonly<Record<number, DomCell>>;
  readonly ownerDocument: {
    readonly defaultView: { getComputedStyle(cell: DomCell): { backgroundColor: string } };
  };
}

async function readRows(page: Page, visibleOnly = false): Promise<PageRow[]> {
  return page
    .locator(`#certificates tbody tr${visibleOnly ? ":not([hidden])" : ""}`)
    .evaluateAll((rows: DomRow[]) =>
      // Runs in the browser: only what the page shows and how it is painted.
      rows.map((row) => ({
        name: row.cells[3]?.querySelector("bdi")?.textContent ?? "",
        severity: row.dataset["severity"] ?? "",
        notAfter: Number(row.cells[2]?.dataset["sort"]),
        secondsLeft: Number(row.cells[1]?.dataset["sort"]),
        badge: row.cells[0]?.textContent ?? "",
        background: row.cells[4]
          ? row.ownerDocument.defaultView.getComputedStyle(row.cells[4]).backgroundColor
          : "",
      })),
    );
}

describe.skipIf(!haveChromium && !inCi)("status page in Chromium", () => {
  let sim: Simulator;
  let scenario: SeededDemoScenario;
  let exporter: TestDaemon;
  let browser: Browser;
  let page: Page;
  let expected: ExpectedRow[];
  const requests: string[] = [];
  const consoleMessages: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator();
    const now = Date.now();
    scenario = await seedDemoScenario(sim, now);
    // Every scenario certificate serves a listener (in use: it pages); the hostile extras below
    // serve none (stored only: notices).
    for (const certificate of scenario.elb) {
      sim.elb.addListener({
        name: `https-${certificate.spec.name}`,
        ...(certificate.spec.type === "client"
          ? { clientCaTlsContainerRef: certificate.id }
          : { defaultTlsContainerRef: certificate.id }),
      });
    }
    const extra: { name: string; pem: string }[] = [];
    for (const [index, name] of HOSTILE_NAMES.entries()) {
      const chain = await generateChain({
        commonName: `hostile-${index}.example.com`,
        notBefore: new Date(now - 60 * DAY_MS),
        notAfter: new Date(now + (2 + index * 10) * DAY_MS),
        depth: 1,
      });
      sim.elb.add({ name, certificate: chain.certificatePem });
      extra.push({ name, pem: chain.certificatePem });
    }
    // A GeminiDB instance whose CA link fails: shown as down, its CA absent.
    const broken = sim.geminidb.addInstance({ name: "audit-mongodb", ssl: "1" });
    const ca = await generateCaCertificate({
      commonName: "Unreachable CA",
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 400 * DAY_MS),
    });
    sim.geminidb.setCaFile(broken, ca.certificatePem);
    sim.geminidb.setDownloadLinkError(broken, { status: 500, code: "DBS.200001" });

    exporter = await startTestDaemon(sim);
    await exporter.waitForPolls(1);
    const polledAt = Date.now() / 1000;

    const inUse = (rows: { name: string; notBefore: number | null; notAfter: number }[]) =>
      rows.map((row) => ({ ...row, stored: false }));
    const rows = [
      ...scenario.elb.flatMap((certificate) => {
        const readable = opensslRows(certificate.spec.name, certificate.certificatePem);
        const expire = certificate.leafNotAfter.getTime() / 1000;
        // The API's expire_time stands alone when no readable certificate carries it.
        return inUse(
          readable.some((row) => row.notAfter === expire)
            ? readable
            : [...readable, { name: certificate.spec.name, notBefore: null, notAfter: expire }],
        );
      }),
      ...scenario.geminidb.flatMap((instance) =>
        instance.caPem === undefined ? [] : inUse(opensslRows(instance.spec.name, instance.caPem)),
      ),
      ...extra.flatMap((entry) =>
        opensslRows(shown(entry.name), entry.pem).map((row) => ({ ...row, stored: true })),
      ),
    ];
    expected = rows.map((row) => ({
      name: row.name,
      notAfter: row.notAfter,
      severity: expectedSeverity(row.notBefore, row.notAfter, polledAt, row.stored),
    }));

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => consoleMessages.push(`pageerror: ${error.message}`));
    const response = await page.goto(`${exporter.baseUrl}/`);
    expect(response?.status()).toBe(200);
  });

  afterAll(async () => {
    // Each may be missing when set-up failed half-way.
    await (browser as Browser | undefined)?.close();
    await (exporter as TestDaemon | undefined)?.stop();
    await (sim as Simulator | undefined)?.close();
  });

  it("lists every certificate of the simulator, least time left first", async () => {
    const rows = await readRows(page);
    const key = (row: { name: string; notAfter: number }): string =>
      `${row.name} @ ${row.notAfter}`;
    expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
    const times = rows.map((row) => row.secondsLeft);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(rows[0]).toMatchObject({ name: "legacy-example-com", severity: "expired" });
    expect(await page.locator("#shown").textContent()).toBe(
      `${expected.length} of ${expected.length} shown`,
    );
  });

  it("colours each row by the alert rules' thresholds and usage", async () => {
    const rows = await readRows(page);
    const labels = {
      expired: "Expired",
      critical: "Critical",
      warning: "Warning",
      notice: "Notice",
      ok: "OK",
    };
    const seen = new Set<string>();
    for (const row of rows) {
      const want = expected.find(
        (entry) => entry.name === row.name && entry.notAfter === row.notAfter,
      );
      expect(want, row.name).toBeDefined();
      const severity = want?.severity ?? "ok";
      seen.add(severity);
      expect({ name: row.name, severity: row.severity, badge: row.badge }).toEqual({
        name: row.name,
        severity,
        badge: labels[severity],
      });
      expect(row.background, `${row.name} (${severity})`).toBe(hex(SEVERITY_COLOURS[severity].row));
    }
    // The scenario exercises every colour, and the colours differ.
    expect([...seen].sort()).toEqual(["critical", "expired", "notice", "ok", "warning"]);
    expect(new Set(Object.values(SEVERITY_COLOURS).map((colour) => colour.row)).size).toBe(5);
    // The legend says what the colours mean, stored certificates included.
    expect(await page.locator("footer").textContent()).toMatch(
      /only stored .* is a notice once within its warning limit, revoked or expired, and never pages/,
    );
  });

  it("shows hostile names as text and runs none of them", async () => {
    const names = await page
      .locator("#certificates tbody tr td:nth-child(4) bdi")
      .allTextContents();
    for (const name of HOSTILE_NAMES) expect(names).toContain(shown(name));
    expect(names).toContain("\ufffdgnp.exe");
    expect(await page.evaluate<unknown>("window.__pwned")).toBeUndefined();
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("#injected").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.getByText(HOSTILE_NAMES[0], { exact: true }).isVisible()).toBe(true);
  });

  it("filters rows as one types, and says when nothing matches", async () => {
    const filter = page.locator("#filter");
    await filter.fill("api-example");
    let visible = await readRows(page, true);
    expect(visible.map((row) => row.name)).toEqual(["api-example-com", "api-example-com"]);
    expect(await page.locator("#shown").textContent()).toBe(`2 of ${expected.length} shown`);

    await filter.fill("EXPIRED legacy");
    visible = await readRows(page, true);
    expect(visible.map((row) => row.name)).toEqual(["legacy-example-com"]);

    await filter.fill("<script>");
    visible = await readRows(page, true);
    expect(visible.map((row) => row.name)).toEqual([HOSTILE_NAMES[0]]);

    await filter.fill("no-such-certificate");
    expect(await readRows(page, true)).toEqual([]);
    expect(await page.locator("#no-match").isVisible()).toBe(true);

    await filter.fill("");
    expect(await readRows(page, true)).toHaveLength(expected.length);
    expect(await page.locator("#no-match").isVisible()).toBe(false);
  });

  it("sorts by a column when its header is clicked, and back", async () => {
    await page.getByRole("button", { name: "Certificate" }).click();
    let names = (await readRows(page)).map((row) => row.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(await page.locator("th", { hasText: "Certificate" }).getAttribute("aria-sort")).toBe(
      "ascending",
    );
    await page.getByRole("button", { name: "Certificate" }).click();
    names = (await readRows(page)).map((row) => row.name);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));

    await page.getByRole("button", { name: "Days left" }).click();
    const times = (await readRows(page)).map((row) => row.secondsLeft);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("shows each source's state and each GeminiDB instance's link health", async () => {
    const sources = await page.locator("#sources tbody tr").allTextContents();
    expect(sources).toHaveLength(2);
    for (const row of sources) expect(row).toMatch(/up.*\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const instances = await page.locator("#instances tbody tr").allTextContents();
    expect(instances.find((row) => row.includes("orders-cassandra"))).toMatch(
      /links up.*international: up \(HTTP 200/,
    );
    expect(instances.find((row) => row.includes("audit-mongodb"))).toMatch(
      /link down.*down: link_api_error/,
    );
    expect(instances.find((row) => row.includes("sessions-redis"))).toContain("SSL is off");
    expect(await page.locator("header").textContent()).toMatch(
      /Last poll \d{4}-\d\d-\d\d \d\d:\d\d UTC .*next poll \d{4}-/,
    );
    expect(await page.locator(".chip.down").textContent()).toBe("1 CA link(s) down");
  });

  it("names every resource that could not be read: the broken PEM, the failing CA link", async () => {
    const rows = await page.locator("#problems tbody tr").allTextContents();
    const broken = scenario.elb.find((certificate) => certificate.spec.pemForm === "broken");
    expect(broken).toBeDefined();
    expect(rows.find((row) => row.includes(broken?.spec.name ?? "?"))).toMatch(
      new RegExp(`${broken?.id ?? "?"}ELB certificate.*bad_(pem|certificate)`),
    );
    expect(rows.find((row) => row.includes("audit-mongodb"))).toMatch(
      /GeminiDB instance.*link_api_error.*CA download link unavailable/,
    );
    expect(await page.locator(".chip.problem").textContent()).toBe(
      `${rows.length} resource problems`,
    );
  });

  it("loads nothing but the page, under a CSP the page never violates", async () => {
    expect(requests).toEqual([`${exporter.baseUrl}/`]);
    expect(consoleMessages).toEqual([]);
    const response = await fetch(`${exporter.baseUrl}/`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-/,
    );
    expect(csp).not.toContain("unsafe");
  });

  it("serves the same rows as JSON with ?format=json", async () => {
    const response = await fetch(`${exporter.baseUrl}/?format=json`);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const json = (await response.json()) as {
      certificates: { resourceName: string; severity: string }[];
    };
    const rows = await readRows(page);
    // JSON carries names exactly as the cloud sent them.
    expect(json.certificates.map((row) => shown(row.resourceName)).sort()).toEqual(
      rows.map((row) => row.name).sort(),
    );
    expect(json.certificates.map((row) => row.resourceName)).toEqual(
      expect.arrayContaining([...HOSTILE_NAMES]),
    );
    expect((await fetch(`${exporter.baseUrl}/?format=xml`)).status).toBe(400);
  });
});
