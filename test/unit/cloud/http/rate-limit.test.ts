// The per-service rate limit in real time: no window of the limiter's interval holds more than
// the limit, services are counted apart, and stopping ends every wait at once with the stop's
// reason (so a stopping daemon is not held by requests queued for a slot). Bounds are lower
// bounds or several times apart from what they provoke, so a loaded machine cannot flip them.

import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../../src/cloud/http/rate-limit.js";

/** The interval of a limit of 1 per second and more: 1 s plus the limiter's 50 ms margin. */
const INTERVAL_MS = 1_050;

describe("createRateLimiter", () => {
  it("lets `limit` requests through at once, then one per slot, never more in an interval", async () => {
    const wait = createRateLimiter(4);
    const started = Date.now();
    const times = await Promise.all(
      Array.from({ length: 6 }, async () => {
        await wait("elb");
        return Date.now() - started;
      }),
    );
    expect(times.slice(0, 4).every((time) => time < INTERVAL_MS)).toBe(true);
    // A timer may fire a millisecond or two early by the wall clock.
    for (let i = 4; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 4] as number)).toBeGreaterThanOrEqual(
        INTERVAL_MS - 5,
      );
    }
  });

  it("counts each service apart", async () => {
    const wait = createRateLimiter(1);
    const started = Date.now();
    await Promise.all([wait("elb"), wait("geminidb"), wait("ccm")]);
    expect(Date.now() - started).toBeLessThan(INTERVAL_MS);
  });

  it("ends every wait at once with the stop's reason", async () => {
    const stop = new AbortController();
    // One request per 30 s: a wait that did not end at the stop would take 30 s.
    const wait = createRateLimiter(1 / 30, stop.signal);
    await wait("elb");
    const waiting = [wait("elb"), wait("elb")];
    const reason = new Error("shutting down");
    const started = Date.now();
    stop.abort(reason);
    for (const pending of waiting) await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("waits for nothing without a limit", async () => {
    const wait = createRateLimiter(undefined);
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => wait("elb")));
    expect(Date.now() - started).toBeLessThan(INTERVAL_MS);
  });
});
