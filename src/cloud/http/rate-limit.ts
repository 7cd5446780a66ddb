// The cloud client's per-service request rate limit: every attempt, retries included, waits for
// a slot, and no window of the server's counting ever holds more than the limit. One limiter
// per client; services are limited apart because Huawei counts them apart. When the program
// stops, every wait ends at once, so requests queued for a slot cannot hold a stopping process.

import pThrottle from "p-throttle";
import type { CloudService } from "../errors.js";

/** Waits until the service may be sent one more request; rejects once the program stops. */
export type RateLimiter = (service: CloudService) => Promise<void>;

/**
 * Slack added to every interval: the server counts requests when they arrive, and network
 * jitter (a new connection takes longer than a kept-alive one) can bring the last of `limit`
 * requests tens of milliseconds closer to the first.
 */
const RATE_MARGIN_MS = 50;

/**
 * At most `ratePerSecond` requests per second per service; no limit when undefined. p-throttle's
 * strict mode keeps a sliding window (no burst of 2x the limit across a window's edge); its
 * `signal` rejects every pending wait with the stop signal's reason.
 */
export function createRateLimiter(
  ratePerSecond: number | undefined,
  stopSignal?: AbortSignal,
): RateLimiter {
  if (ratePerSecond === undefined) return () => Promise.resolve();
  const limit = ratePerSecond >= 1 ? Math.round(ratePerSecond) : 1;
  const interval = (ratePerSecond >= 1 ? 1000 : Math.round(1000 / ratePerSecond)) + RATE_MARGIN_MS;
  const windows = new Map<CloudService, () => Promise<void>>();
  return (service) => {
    let wait = windows.get(service);
    if (wait === undefined) {
      wait = pThrottle({ limit, interval, strict: true, signal: stopSignal })(() =>
        Promise.resolve(),
      );
      windows.set(service, wait);
    }
    return wait();
  };
}
