import { describe, expect, it } from "vitest";
import type { TargetConfig } from "../../../src/config/config.js";
import { targetErrors } from "../../../src/poll/target-errors.js";

describe("targetErrors: a 429 counts once, as rate_limited, where it is answered", () => {
  const target = { sources: ["elb", "ccm"] } as unknown as TargetConfig;
  const counted: string[] = [];
  const errors = targetErrors(target, {
    recordError: (source, reason) => counted.push(`${source} ${reason}`),
    recordApiRequest: () => undefined,
  });

  it("counts a 429 of a polled source's own service, and not again when its poll fails", () => {
    counted.length = 0;
    errors.onThrottled("elb");
    errors.forSource("elb")("rate_limited");
    errors.forSource("elb")("http_5xx");
    expect(counted).toEqual(["elb rate_limited", "elb http_5xx"]);
  });

  it("leaves 429s of IAM, EPS and unpolled sources to the lookups that asked", () => {
    counted.length = 0;
    errors.onThrottled("iam");
    errors.onThrottled("eps");
    errors.onThrottled("geminidb");
    expect(counted).toEqual([]);
    errors.onBehalfOf("ccm", "rate_limited");
    expect(counted).toEqual(["ccm rate_limited"]);
  });
});
