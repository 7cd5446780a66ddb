// The cloud client's per-service request rate limit: every attempt, retries included, waits for
// a slot, and no window of the server's counting ever holds more than the limit. One limiter
// per client; services are limited apart because Huawei counts them apart. A wait ends early
// when the request is cancelled, and leaves no timer behind to keep a stopping process alive.

import { setTimeout as sleep } from "node:timers/promises";
import type { CloudService } from "../errors.js";

/** Waits until the service may be sent one more request; rejects when `signal` aborts first. */
export type RateLimiter = (service: CloudService, signal?: AbortSignal) => Promise<void>;

/**
 * Slack added to every interval: the server counts requests when they arrive, and network
 * jitter (a new connection takes longer than a kept-alive one) can bring the last of `limit`
 * requests tens of milliseconds closer to the first.
 */
const RATE_MARGIN_MS = 50;

/**
 * A strict sliding window (p-throttle's strict mode, which this replaces because its queued
 * timers cannot be cancelled one by one): the slot after the last `limit` comes `interval` after
 * the oldest of them, and never less than interval/limit after the newest, so waiting callers do
 * not bunch up. A slot records when its caller actually went, so a late timer delays the next.
 */
function strictWindow(limit: number, interval: number): (signal?: AbortSignal) => Promise<void> {
  const minSpacing = Math.ceil(interval / limit);
  /** The last `limit` slots given out, oldest first; future ones are reserved for waiters. */
  const slots: { time: number }[] = [];
  return async (signal) => {
    const now = Date.now();
    const newest = slots.at(-1);
    // Idle for a whole interval: the window is empty again.
    if (newest !== undefined && now - newest.time > interval) slots.length = 0;
    if (slots.length < limit) {
      slots.push({ time: now });
      return;
    }
    const earliest = (slots[0]?.time ?? now) + interval;
    const last = slots.at(-1)?.time ?? now;
    const slot = { time: earliest <= last ? last + minSpacing : earliest };
    slots.shift();
    slots.push(slot);
    if (slot.time <= now) return;
    try {
      await sleep(slot.time - now, undefined, { signal });
    } catch (error) {
      // Cancelled while waiting: end with the caller's reason, as the client does elsewhere.
      signal?.throwIfAborted();
      throw error;
    }
    slot.time = Date.now();
  };
}

/** At most `ratePerSecond` requests per second per service; no limit when undefined. */
export function createRateLimiter(ratePerSecond: number | undefined): RateLimiter {
  if (ratePerSecond === undefined) return () => Promise.resolve();
  const limit = ratePerSecond >= 1 ? Math.round(ratePerSecond) : 1;
  const interval = (ratePerSecond >= 1 ? 1000 : Math.round(1000 / ratePerSecond)) + RATE_MARGIN_MS;
  const windows = new Map<CloudService, (signal?: AbortSignal) => Promise<void>>();
  return async (service, signal) => {
    let wait = windows.get(service);
    if (wait === undefined) {
      wait = strictWindow(limit, interval);
      windows.set(service, wait);
    }
    await wait(signal);
  };
}
