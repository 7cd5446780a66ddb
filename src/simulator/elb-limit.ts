// The ELB `limit` query parameter, read the same way by every simulated ELB list route:
// 0..max (0 and absent mean the default, max), and the page size then capped by the server.

import { elbError } from "./errors.js";
import type { Reply, RouteContext } from "./http-kit.js";

/** The page size to serve, or the 400 reply for a bad `limit`. */
export function readElbPageSize(
  ctx: RouteContext,
  maxLimit: number,
  pageSizeCap: number,
): { readonly pageSize: number } | { readonly reply: Reply } {
  const limitParam = ctx.query.get("limit");
  let limit = maxLimit;
  if (limitParam !== null) {
    const parsed = /^\d{1,9}$/.test(limitParam) ? Number(limitParam) : Number.NaN;
    if (!(parsed >= 0 && parsed <= maxLimit)) {
      return {
        reply: elbError(
          400,
          "ELB.8902",
          `Invalid input for limit: ${limitParam} (must be an integer from 0 to ${String(maxLimit)})`,
          ctx.requestId,
        ),
      };
    }
    // Unsure what the real API does with 0; here it means "the default", like an absent limit.
    if (parsed > 0) limit = parsed;
  }
  return { pageSize: Math.min(limit, pageSizeCap) };
}
