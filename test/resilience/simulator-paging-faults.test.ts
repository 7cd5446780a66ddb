// The simulator features the resilience tests rely on, checked on the wire: GeminiDB paging that
// loops or never ends, paging that hands out new records on every page (ELB and GeminiDB), and
// the record of pre-signed links that leak searches use.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultAction } from "../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "../integration/simulator/http.js";
import { startWorld, type World } from "./world.js";

let world: World;

beforeAll(async () => {
  world = await startWorld({ elbPageSizeCap: 1, geminidbPageSizeCap: 1 });
});
beforeEach(() => {
  world.sim.faults.clear();
});
afterAll(async () => {
  await world.sim.close();
});

async function geminidbPage(offset: number): Promise<{ ids: string[]; total: number }> {
  const { sim } = world;
  const url = `${sim.endpoints.geminidb}/v3/${sim.projectId}/instances?offset=${offset}&limit=100`;
  const body = asRecord((await getJson(url, sim.authToken)).body);
  return {
    ids: asArray(body["instances"]).map((item) => String(asRecord(item)["id"])),
    total: Number(body["total_count"]),
  };
}

async function elbPage(marker?: string): Promise<{ ids: string[]; next: string | undefined }> {
  const { sim } = world;
  const query = marker === undefined ? "" : `?marker=${marker}`;
  const url = `${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates${query}`;
  const body = asRecord((await getJson(url, sim.authToken)).body);
  const next = asRecord(body["page_info"])["next_marker"];
  return {
    ids: asArray(body["certificates"]).map((item) => String(asRecord(item)["id"])),
    next: typeof next === "string" ? next : undefined,
  };
}

const fault = (service: "elb" | "geminidb", action: FaultAction): void => {
  world.sim.faults.add({ service, action });
};

describe("GeminiDB paging faults", () => {
  it("pagination-loop answers the first page at every offset and promises more", async () => {
    fault("geminidb", { kind: "pagination-loop" });
    const first = await geminidbPage(0);
    const later = await geminidbPage(1);
    expect(later.ids).toEqual(first.ids);
    expect(first.ids).toEqual([world.instanceIds[0]]);
    expect(later.total).toBeGreaterThan(1 + later.ids.length);
  });

  it("pagination-endless wraps around the data, always promising one page more", async () => {
    fault("geminidb", { kind: "pagination-endless" });
    const pages = [];
    for (let offset = 0; offset < 4; offset++) pages.push(await geminidbPage(offset));
    expect(pages.map((page) => page.ids[0])).toEqual([
      world.instanceIds[0],
      world.instanceIds[1],
      world.instanceIds[0],
      world.instanceIds[1],
    ]);
    expect(pages.every((page, offset) => page.total > offset + 1)).toBe(true);
  });

  it("pagination-endless with fresh records never repeats an id", async () => {
    fault("geminidb", { kind: "pagination-endless", fresh: true });
    const ids = [];
    for (let offset = 0; offset < 20; offset++) ids.push(...(await geminidbPage(offset)).ids);
    expect(new Set(ids).size).toBe(20);
    expect(ids.some((id) => world.instanceIds.includes(id))).toBe(false);
  });
});

describe("ELB paging with fresh records", () => {
  it("hands out new ids and new markers on every page", async () => {
    fault("elb", { kind: "pagination-endless", fresh: true });
    const ids: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer = await elbPage(marker);
      ids.push(...answer.ids);
      expect(answer.next).toBeDefined();
      marker = answer.next;
    }
    expect(new Set(ids).size).toBe(10);
    expect(ids.some((id) => world.elbIds.includes(id))).toBe(false);
  });
});

describe("the record of pre-signed links", () => {
  it("holds every link the download-link API issued, until cleared", async () => {
    const { sim } = world;
    sim.obs.clearPresignedUrls();
    const url = `${sim.endpoints.geminidb}/v3/${sim.projectId}/instances/${world.instanceIds[0]!}/ssl-cert/download-link`;
    const body = asRecord((await getJson(url, sim.authToken)).body);
    const link = String(asRecord(asArray(body["certs"])[0])["download_link"]);
    expect(sim.obs.presignedUrls).toEqual([link]);
    expect(new URL(link).searchParams.get("Signature")).toMatch(/^[A-Za-z0-9+/]+=*$/);
    sim.obs.clearPresignedUrls();
    expect(sim.obs.presignedUrls).toEqual([]);
  });
});
