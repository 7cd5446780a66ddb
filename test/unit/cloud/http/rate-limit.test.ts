// The per-service rate limit in real time: no window of the limiter's interval holds more than
// the limit, services are counted apart, and a cancelled wait ends at once with the caller's
// reason (so a stopping daemon is not held by requests queued for a slot).

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
    expect(times.slice(0, 4).every((time) => time < 200)).toBe(true);
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
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("ends a cancelled wait at once with the caller's reason", async () => {
    const wait = createRateLimiter(1);
    await wait("elb");
    const abort = new AbortController();
    const waiting = wait("elb", abort.signal);
    const reason = new Error("shutting down");
    const started = Date.now();
    abort.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("waits for nothing without a limit", async () => {
    const wait = createRateLimiter(undefined);
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => wait("elb")));
    expect(Date.now() - started).toBeLessThan(100);
  });
});
