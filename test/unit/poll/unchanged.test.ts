import { describe, expect, it } from "vitest";
import { CloudApiError } from "../../../src/cloud/errors.js";
import type { CloudClient, JsonRequest } from "../../../src/cloud/http/client.js";
import { createLogger } from "../../../src/log/logger.js";
import { keepUnchanged, sameValue, unchanged } from "../../../src/poll/unchanged.js";
import { pollCcm } from "../../../src/sources/ccm/poller.js";
import { initialCcmSnapshot, type CcmSourceSnapshot } from "../../../src/sources/ccm/snapshot.js";
import type { ListenerBinding } from "../../../src/sources/elb/snapshot.js";
import { ccmCertificate, elbCertificate, instance, link, x509 } from "../../fixtures/snapshots.js";

const leaf = x509(-10, 80);
const intermediate = x509(-100, 900, { chainPosition: "intermediate" });
const caOne = x509(-100, 400, { chainPosition: "root", selfSigned: true, isCa: true });
const caTwo = x509(-100, 500, { chainPosition: "root", selfSigned: true, isCa: true });

/** A deep copy of plain data: new objects, arrays and maps throughout, the same values. */
function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as T;
  if (value instanceof Map) {
    return new Map([...value].map(([key, item]) => [key, deepCopy(item)])) as T;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, deepCopy(item)]),
    ) as T;
  }
  return value;
}

/** Every copy of `value` with exactly one leaf (a primitive, however deep) changed. */
function* withOneLeafChanged(value: unknown, path = "$"): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      for (const [leafPath, changed] of withOneLeafChanged(item, `${path}[${String(index)}]`)) {
        yield [leafPath, value.map((other: unknown, i) => (i === index ? changed : other))];
      }
    }
  } else if (value instanceof Map) {
    for (const [key, item] of value) {
      for (const [leafPath, changed] of withOneLeafChanged(item, `${path}.get(${String(key)})`)) {
        yield [leafPath, new Map([...value].map(([k, v]) => [k, k === key ? changed : v]))];
      }
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      for (const [leafPath, changed] of withOneLeafChanged(item, `${path}.${key}`)) {
        yield [leafPath, { ...value, [key]: changed }];
      }
    }
  } else {
    yield [path, changedLeaf(value)];
  }
}

function changedLeaf(value: unknown): unknown {
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return `${value}x`;
  if (typeof value === "boolean") return !value;
  return "was null";
}

const listener: ListenerBinding = {
  role: "default",
  listenerId: "l-1",
  listenerName: "web",
  protocol: "HTTPS",
  port: 443,
  loadBalancerId: "lb-1",
  tags: { team: "web" },
};

/** One state of every kind a poller keeps, each with every field set. */
const STATES = {
  "an ELB certificate": {
    ...elbCertificate("cert-a", "a", [leaf, intermediate]),
    problems: [{ reason: "bad_pem" as const, message: "block 2 is not PEM" }],
  },
  "a GeminiDB instance": {
    ...instance("db-1", "orders", [link([caOne]), { ...link([caTwo], false), category: "china" }]),
    tags: { team: "payments", cost: "42" },
    tagsReadAtSeconds: 1_700_000_000,
    ccmCertificateId: "ccm-1",
  },
  "a CCM certificate": {
    ...ccmCertificate("ccm-1", "shop", -10, 80),
    problems: [{ reason: "bad_time" as const, message: "unreadable: not_before" }],
  },
  "listener bindings": new Map([
    ["cert-a", [listener, { ...listener, listenerId: "l-2", role: "sni" as const, tags: {} }]],
    ["cert-b", [{ ...listener, listenerId: "l-3", port: null, tags: { team: "ops", cost: "7" } }]],
  ]),
};

describe("sameValue", () => {
  it.each(Object.entries(STATES))("misses no changed field of %s, however deep", (_, state) => {
    const changes = [...withOneLeafChanged(state)];
    // Sanity: the walk reaches the nested fields (certificates, links, problems, tags).
    expect(changes.length).toBeGreaterThan(10);
    for (const [path, changed] of changes) {
      expect({ path, same: sameValue(state, changed) }).toEqual({ path, same: false });
    }
  });

  it.each(Object.entries(STATES))("finds %s equal to a deep copy of itself", (_, state) => {
    expect(sameValue(state, deepCopy(state))).toBe(true);
    expect(sameValue(deepCopy(state), state)).toBe(true);
  });

  it.each([
    ["a key more", { a: 1 }, { a: 1, b: 2 }],
    ["a key missing but undefined", { a: 1, b: undefined }, { a: 1, c: undefined }],
    ["null and an object", null, {}],
    ["an array and an object", [], {}],
    ["a map and an object", new Map(), {}],
    [
      "another order of map entries",
      new Map([
        ["a", 1],
        ["b", 2],
      ]),
      new Map([
        ["b", 2],
        ["a", 1],
      ]),
    ],
    ["another order of array items", [1, 2], [2, 1]],
    ["0 and '0'", 0, "0"],
    ["typed arrays with the same bytes", new Uint8Array([1]), new Uint8Array([1])],
  ])("tells apart %s", (_, a, b) => {
    expect(sameValue(a, b)).toBe(false);
  });

  it("takes the key order of plain objects as irrelevant, and NaN as itself", () => {
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue({ seconds: Number.NaN }, { seconds: Number.NaN })).toBe(true);
  });

  // Moved from the renderer's tests: what the GeminiDB poller's own comparison used to cover.
  describe("on GeminiDB instance states", () => {
    const base = instance("db-1", "orders", [link([caOne])]);

    it("holds for equal contents in new objects", () => {
      expect(sameValue(base, instance("db-1", "orders", [link([caOne])]))).toBe(true);
      expect(sameValue({ ...base, tags: { team: "a" } }, { ...base, tags: { team: "a" } })).toBe(
        true,
      );
    });

    const tagged = { ...base, tags: { team: "a" } };
    it.each([
      ["a renamed instance", base, instance("db-1", "billing", [link([caOne])])],
      ["another CA", base, instance("db-1", "orders", [link([caTwo])])],
      ["a link down", base, instance("db-1", "orders", [link([caOne], false)])],
      ["one link more", base, instance("db-1", "orders", [link([caOne]), link([caTwo])])],
      ["other bytes", base, instance("db-1", "orders", [{ ...link([caOne]), bytes: 7 }])],
      [
        "unreadable parts",
        base,
        instance("db-1", "orders", [
          { ...link([caOne]), problem: { reason: "bad_content" as const, message: "part 2" } },
        ]),
      ],
      ["SSL switched off", base, { ...base, ssl: "0" as const }],
      ["another tag value", tagged, { ...base, tags: { team: "b" } }],
      ["tags read", base, tagged],
    ])("fails for %s", (_name, a, b) => {
      expect(sameValue(a, b)).toBe(false);
    });
  });
});

describe("unchanged", () => {
  it("hands back the previous object for an equal state, the next one otherwise", () => {
    const last = STATES["a GeminiDB instance"];
    expect(unchanged(last, deepCopy(last))).toBe(last);
    const renamed = { ...last, name: "billing" };
    expect(unchanged(last, renamed)).toBe(renamed);
    expect(unchanged(undefined, renamed)).toBe(renamed);
  });
});

describe("keepUnchanged", () => {
  const a = STATES["an ELB certificate"];
  const b = elbCertificate("cert-b", "b", [leaf]);
  const previous = new Map([
    ["cert-a", a],
    ["cert-b", b],
  ]);

  it("keeps the previous map, and its objects, for equal states in new objects", () => {
    expect(keepUnchanged(previous, deepCopy(previous))).toBe(previous);
  });

  it("keeps the objects of unchanged entries in a changed map", () => {
    const next = deepCopy(previous);
    next.set("cert-b", { ...b, name: "renamed" });
    next.set("cert-c", elbCertificate("cert-c", "c", []));
    const kept = keepUnchanged(previous, next);
    expect(kept).not.toBe(previous);
    expect(kept.get("cert-a")).toBe(a);
    expect(kept.get("cert-b")?.name).toBe("renamed");
    expect([...kept.keys()]).toEqual(["cert-a", "cert-b", "cert-c"]);
  });

  it("takes a new map when the order changed, keeping the objects", () => {
    const next = new Map([
      ["cert-b", deepCopy(b)],
      ["cert-a", deepCopy(a)],
    ]);
    const kept = keepUnchanged(previous, next);
    expect(kept).not.toBe(previous);
    expect(kept.get("cert-a")).toBe(a);
    expect(kept.get("cert-b")).toBe(b);
  });

  it("takes the next map when there was none", () => {
    const next = new Map([["cert-a", a]]);
    expect(keepUnchanged(undefined, next)).toBe(next);
  });
});

// Moved from the renderer's tests (of keepIfUnchanged, which keepUnchanged replaces).
describe("keepUnchanged, with the same objects", () => {
  const a = elbCertificate("a", "a", []);
  const b = elbCertificate("b", "b", []);
  const previous = new Map([
    ["a", a],
    ["b", b],
  ]);

  it("keeps the previous map for the same entries in the same order", () => {
    expect(
      keepUnchanged(
        previous,
        new Map([
          ["a", a],
          ["b", b],
        ]),
      ),
    ).toBe(previous);
  });

  it.each([
    ["another order", [["b", b] as const, ["a", a] as const]],
    ["a changed value", [["a", a] as const, ["b", { ...b, name: "c" }] as const]],
    ["one entry fewer", [["a", a] as const]],
    ["one entry more", [["a", a] as const, ["b", b] as const, ["c", a] as const]],
  ])("takes a new map for %s", (_name, entries) => {
    const next = new Map(entries);
    const kept = keepUnchanged(previous, next);
    expect(kept).not.toBe(previous);
    expect([...kept]).toEqual(entries);
  });
});

describe("the CCM poller", () => {
  /** A CCM API of three certificates whose details call fails for `broken`. */
  function ccmApi(broken: string): CloudClient {
    const certificates = ["c-1", "c-2", broken].map((id) => ({
      id,
      name: `name ${id}`,
      domain: `${id}.example.com`,
      status: "ISSUED",
      expire_time: "2030-01-01 00:00:00.0",
    }));
    const getJson = (request: JsonRequest) => {
      const id = request.url.split("/").at(-1);
      if (id === broken) {
        throw new CloudApiError({
          service: "ccm",
          operation: request.operation,
          status: 503,
          reason: "http_5xx",
          errorCode: null,
          requestId: null,
          detail: "unavailable",
        });
      }
      const body =
        id === "certificates"
          ? { certificates, total_count: certificates.length }
          : { id, not_before: "2024-01-01 00:00:00.0", not_after: "2030-01-01 00:00:00.0" };
      return Promise.resolve({ body, requestId: null, header: () => undefined });
    };
    return { getJson, requestJson: getJson };
  }

  async function pollTwice(): Promise<[CcmSourceSnapshot, CcmSourceSnapshot]> {
    const deps = {
      api: { client: ccmApi("c-3"), endpoint: "https://ccm.example" },
      concurrency: 2,
      logger: createLogger({ level: "silent" }),
      recordError: () => undefined,
      now: () => 1_700_000_000,
      ownerTagKeys: [],
    };
    const signal = new AbortController().signal;
    const initial = initialCcmSnapshot({ region: "ap-southeast-1", projectId: "p1" });
    const first = await pollCcm(deps, initial, signal);
    return [first, await pollCcm(deps, first, signal)];
  }

  it("hands back its unchanged certificates, a failing details call included, and its map", async () => {
    const [first, second] = await pollTwice();
    expect(first.certificates.get("c-3")?.problems).toHaveLength(1);
    expect(second.certificates).toBe(first.certificates);
    expect(second.up).toBe(true);
  });
});
