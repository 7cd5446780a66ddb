// Offset paging against a real local server that answers each page from a function of its
// offset and limit: where paging ends, and how a misbehaving server is stopped.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCloudClient } from "../../../src/cloud/http/client.js";
import { listAllOffsetPages, listOffsetPages } from "../../../src/cloud/offset-paging.js";
import { cloudFailure } from "../../helpers/cloud-failure.js";

type PageAnswer = (offset: number, limit: number, query: URLSearchParams) => unknown;

let server: Server;
let url: string;
let answer: PageAnswer = () => ({});
let requests: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const query = new URL(request.url ?? "/", "http://localhost").searchParams;
    requests.push(query);
    const body = answer(Number(query.get("offset")), Number(query.get("limit")), query);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`;
});

afterAll(async () => {
  await agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const agent = new Agent();
const client = createCloudClient({
  dispatcher: agent,
  timeoutMs: 2_000,
  userAgent: "offset-paging-test",
  authenticator: { headersFor: () => Promise.resolve({}) },
});

/** `count` items with ids 0..count-1; a page is the slice at offset, at most `cap` long. */
function items(count: number, cap = Infinity, withTotal = true): PageAnswer {
  return (offset, limit) => {
    const size = Math.max(0, Math.min(limit, cap, count - offset));
    const page = Array.from({ length: size }, (_, i) => ({ id: String(offset + i) }));
    return withTotal ? { items: page, total_count: count } : { items: page };
  };
}

async function list(
  pageAnswer: PageAnswer,
  overrides: { maxPages?: number; maxRecords?: number } = {},
): Promise<{ ids: string[]; skipped: number }> {
  answer = pageAnswer;
  requests = [];
  let skipped = 0;
  const values = await listAllOffsetPages(
    listOffsetPages(
      { client },
      {
        service: "geminidb",
        operation: "list_items",
        url,
        query: { status: "ALL" },
        collection: "items",
        pageLimit: 10,
        maxPages: overrides.maxPages ?? 100,
        maxRecords: overrides.maxRecords ?? 1_000,
        entrySchema: z.object({ id: z.string().min(1) }),
        toValue: (entry) => entry.id,
      },
      () => {
        skipped++;
      },
    ),
  );
  return { ids: values, skipped };
}

describe("listOffsetPages", () => {
  it("reads to total_count, advancing by what each page held", async () => {
    const { ids } = await list(items(25, 7));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    expect(requests.map((query) => query.get("offset"))).toEqual(["0", "7", "14", "21"]);
    expect(requests.every((query) => query.get("status") === "ALL")).toBe(true);
    expect(requests.every((query) => query.get("limit") === "10")).toBe(true);
  });

  it("ends on a short page when there is no total_count", async () => {
    const { ids } = await list(items(25, Infinity, false));
    expect(ids).toHaveLength(25);
    expect(requests).toHaveLength(3);
  });

  it("ends on an empty page", async () => {
    const { ids } = await list((offset) => ({
      items: offset === 0 ? [{ id: "a" }] : [],
      total_count: 50,
    }));
    expect(ids).toEqual(["a"]);
    expect(requests).toHaveLength(2);
  });

  it("skips and reports entries off-contract, and keeps the rest", async () => {
    const { ids, skipped } = await list(() => ({
      items: [{ id: "a" }, { id: 5 }, { name: "no id" }, { id: "b" }],
      total_count: 4,
    }));
    expect(ids).toEqual(["a", "b"]);
    expect(skipped).toBe(2);
  });

  it.each<[string, PageAnswer, { maxPages?: number; maxRecords?: number }, RegExp]>([
    ["a page off-contract", () => ({ items: "none" }), {}, /items/],
    [
      "a page repeating ids",
      () => ({ items: [{ id: "same" }], total_count: 9 }),
      {},
      /paging repeats items already listed/,
    ],
    ["more records than the bound", items(100), { maxRecords: 15 }, /more than 15 items/],
    ["paging that does not end", items(1_000), { maxPages: 3 }, /did not end within 3 pages/],
  ])("stops %s with api_shape", async (_name, pageAnswer, overrides, detail) => {
    const error = await cloudFailure(list(pageAnswer, overrides));
    expect(error.reason).toBe("api_shape");
    expect(error.message).toMatch(detail);
  });
});
