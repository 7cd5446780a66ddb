// The one list of per-resource problems every surface reads, and the words problem messages
// quote from a bundle's issues.

import { describe, expect, it } from "vitest";
import {
  quoteIssues,
  readableCount,
  resourceProblems,
} from "../../../src/poll/resource-problems.js";
import {
  elbCertificate,
  elbSource,
  geminiDbSource,
  instance,
  link,
  x509,
} from "../../fixtures/snapshots.js";

describe("resourceProblems", () => {
  it("lists ELB problems resource by resource, with no category", () => {
    const source = elbSource([
      {
        ...elbCertificate("c1", "broken", []),
        problems: [
          { reason: "bad_time", message: "the API gave no expire_time" },
          {
            reason: "bad_pem",
            message: "no certificate found; no readable certificates in the PEM",
          },
        ],
      },
      elbCertificate("c2", "fine", [x509(-10, 80)]),
    ]);
    expect(resourceProblems(source)).toEqual([
      {
        resourceId: "c1",
        resourceName: "broken",
        category: "",
        reason: "bad_time",
        message: "the API gave no expire_time",
      },
      {
        resourceId: "c1",
        resourceName: "broken",
        category: "",
        reason: "bad_pem",
        message: "no certificate found; no readable certificates in the PEM",
      },
    ]);
  });

  it("lists a GeminiDB instance's failing links by category", () => {
    const source = geminiDbSource([
      instance("db-1", "orders", [
        link([x509(-10, 400)]),
        { ...link([], false), category: "national" },
      ]),
    ]);
    expect(resourceProblems(source)).toEqual([
      {
        resourceId: "db-1",
        resourceName: "orders",
        category: "national",
        reason: "http_status",
        message: "CA download failed: answered HTTP 404",
      },
    ]);
  });
});

describe("problem message words", () => {
  it.each([
    [
      ["PEM certificate block 1 is not valid base64"],
      "PEM certificate block 1 is not valid base64",
    ],
    [["a", "a", "b"], "a; b"],
    [["a", "b", "c", "d", "e"], "a; b; c (+2 more)"],
  ])("quoteIssues(%j) is %j", (details, expected) => {
    expect(quoteIssues(details.map((detail) => ({ kind: "bad_pem" as const, detail })))).toBe(
      expected,
    );
  });

  it.each([
    [0, "no readable certificates"],
    [1, "1 readable certificate"],
    [3, "3 readable certificates"],
  ])("readableCount(%i) is %j", (count, expected) => {
    expect(readableCount(count)).toBe(expected);
  });
});
