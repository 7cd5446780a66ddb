// The problem log: one warn when a resource's problem appears or its message changes, debug while
// it stays, one info when it is gone; each resource, link category and reason on its own.

import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log/logger.js";
import { logProblemChanges } from "../../../src/poll/problem-log.js";
import type { LocatedProblem } from "../../../src/poll/resource-problems.js";
import { LogCapture } from "../../helpers/log-capture.js";

const BAD_PEM: LocatedProblem = {
  resourceId: "cert-1",
  resourceName: "broken-upload",
  category: "",
  reason: "bad_pem",
  message: "no certificate found; no readable certificates in the PEM",
};
const LINK_DOWN: LocatedProblem = {
  resourceId: "db-1",
  resourceName: "orders",
  category: "international",
  reason: "http_status",
  message: "CA download failed: answered HTTP 404",
};

/** Level, message and the fields that name the problem, of every line logged. */
function logged(previous: readonly LocatedProblem[], next: readonly LocatedProblem[]) {
  const capture = new LogCapture();
  logProblemChanges(createLogger({ level: "debug", destination: capture }), previous, next);
  return capture.entries().map((entry) => ({
    level: entry["level"],
    msg: entry["msg"],
    resourceId: entry["resourceId"],
    reason: entry["reason"],
    ...(entry["category"] === undefined ? {} : { category: entry["category"] }),
    ...(entry["previousDetail"] === undefined ? {} : { previousDetail: entry["previousDetail"] }),
  }));
}

describe("logProblemChanges", () => {
  it.each<[string, LocatedProblem[], LocatedProblem[], ReturnType<typeof logged>]>([
    ["nothing wrong, before or now", [], [], []],
    [
      "a problem appears",
      [],
      [BAD_PEM],
      [{ level: "warn", msg: "resource problem", resourceId: "cert-1", reason: "bad_pem" }],
    ],
    [
      "the same problem again",
      [BAD_PEM],
      [{ ...BAD_PEM }],
      [
        {
          level: "debug",
          msg: "resource problem unchanged",
          resourceId: "cert-1",
          reason: "bad_pem",
        },
      ],
    ],
    [
      "the same reason with another message",
      [BAD_PEM],
      [{ ...BAD_PEM, message: "PEM certificate block 2 has no END line" }],
      [
        {
          level: "warn",
          msg: "resource problem",
          resourceId: "cert-1",
          reason: "bad_pem",
          previousDetail: BAD_PEM.message,
        },
      ],
    ],
    [
      "the problem is gone",
      [BAD_PEM],
      [],
      [
        {
          level: "info",
          msg: "resource problem resolved",
          resourceId: "cert-1",
          reason: "bad_pem",
        },
      ],
    ],
    [
      "another reason instead",
      [BAD_PEM],
      [{ ...BAD_PEM, reason: "bad_certificate", message: "block 1 is not a certificate" }],
      [
        { level: "warn", msg: "resource problem", resourceId: "cert-1", reason: "bad_certificate" },
        {
          level: "info",
          msg: "resource problem resolved",
          resourceId: "cert-1",
          reason: "bad_pem",
        },
      ],
    ],
    [
      "a second link of the same instance fails alike",
      [LINK_DOWN],
      [LINK_DOWN, { ...LINK_DOWN, category: "national" }],
      [
        {
          level: "debug",
          msg: "resource problem unchanged",
          resourceId: "db-1",
          reason: "http_status",
          category: "international",
        },
        {
          level: "warn",
          msg: "resource problem",
          resourceId: "db-1",
          reason: "http_status",
          category: "national",
        },
      ],
    ],
  ])("%s", (_name, previous, next, expected) => {
    expect(logged(previous, next)).toEqual(expected);
  });

  it("names the resource and says what is wrong in the warn line", () => {
    const capture = new LogCapture();
    const log = createLogger({ level: "info", destination: capture }).child({ source: "elb" });
    logProblemChanges(log, [], [BAD_PEM]);
    logProblemChanges(log, [BAD_PEM], [BAD_PEM]);
    // At the default level the unchanged problem is not repeated.
    expect(capture.entries()).toEqual([
      expect.objectContaining({
        level: "warn",
        msg: "resource problem",
        source: "elb",
        resourceId: "cert-1",
        resourceName: "broken-upload",
        reason: "bad_pem",
        detail: BAD_PEM.message,
      }),
    ]);
  });
});
