// Adds the configured owner tags (HWCERT_OWNER_TAGS) to probed GeminiDB instances: re-read at
// most every TAGS_REFRESH_SECONDS per instance, else carried over. A failed read keeps the last
// tags and is counted; it never fails the poll, since tags only label ownership.

import type { LimitFunction } from "p-limit";
import type { CloudApiError } from "../../cloud/errors.js";
import type { Logger } from "../../log/logger.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import { pickOwnerTags, TAGS_REFRESH_SECONDS } from "../../poll/owner-tags.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { listGeminiDbInstanceTags, type GeminiDbApiContext } from "./api.js";
import type { ProbedInstance } from "./probe.js";
import type { GeminiDbInstanceState, GeminiDbSourceSnapshot } from "./snapshot.js";

export async function readOwnerTags(
  probed: readonly ProbedInstance[],
  previous: GeminiDbSourceSnapshot,
  api: GeminiDbApiContext,
  deps: Pick<SourcePollDependencies, "ownerTagKeys" | "now">,
  limit: LimitFunction,
  log: Logger,
  reportApiError: (error: CloudApiError, context: Record<string, unknown>) => void,
): Promise<GeminiDbInstanceState[]> {
  if (deps.ownerTagKeys.length === 0) {
    return probed.map((state) => ({ ...state, tags: null, tagsReadAtSeconds: null }));
  }
  const now = deps.now();
  return Promise.all(
    probed.map(async (state): Promise<GeminiDbInstanceState> => {
      const last = previous.instances.get(state.id);
      const lastTags = {
        tags: last?.tags ?? null,
        tagsReadAtSeconds: last?.tagsReadAtSeconds ?? null,
      };
      if (
        lastTags.tagsReadAtSeconds !== null &&
        now - lastTags.tagsReadAtSeconds < TAGS_REFRESH_SECONDS
      ) {
        return { ...state, ...lastTags };
      }
      return limit(async () => {
        try {
          const tags = await listGeminiDbInstanceTags(api, state.id);
          return {
            ...state,
            tags: pickOwnerTags(tags, deps.ownerTagKeys),
            tagsReadAtSeconds: now,
          };
        } catch (caught) {
          reportApiError(cloudFailure(caught, api.signal), { instanceId: state.id });
          log.debug({ instanceId: state.id }, "GeminiDB instance tags kept from the last read");
          return { ...state, ...lastTags };
        }
      });
    }),
  );
}
