// The cloud client's per-service request rate limit: every attempt, retries included, waits for
// a slot, and no window of the server's counting ever holds more than the limit. One limiter
// per client; services are limited apart because Huawei counts them apart.

import pThrottle from "p-throttle";
import type { CloudService } from "../errors.js";

/** Waits until the service may be sent one more request. */
export type RateLimiter = (service: CloudService) => Promise<void>;

/**
 * Slack added to every interval: the server counts requests when they arrive, and network
 * jitter (a new connection takes longer than a kept-alive one) can bring the last of `limit`
 * requests tens of milliseconds closer to the first.
 */
const RATE_MARGIN_MS = 50;

function throttleFor(ratePerSecond: number): () => Promise<void> {
  const limit = ratePerSecond >= 1 ? Math.round(ratePerSecond) : 1;
  const interval = (ratePerSecond >= 1 ? 1000 : Math.round(1000 / ratePerSecond)) + RATE_MARGIN_MS;
  // strict: no window ever holds more than the limit (the default allows bursts at edges).
  const throttled = pThrottle({ limit, interval, strict: true })(() => Promise.resolve());
  return () => throttled();
}

/** At most `ratePerSecond` requests per second per service; no limit when undefined. */
export function createRateLimiter(ratePerSecond: number | undefined): RateLimiter {
  if (ratePerSecond === undefined) return () => Promise.resolve();
  const throttles = new Map<CloudService, () => Promise<void>>();
  return async (service) => {
    let throttle = throttles.get(service);
    if (throttle === undefined) {
      throttle = throttleFor(ratePerSecond);
      throttles.set(service, throttle);
    }
    await throttle();
  };
}
