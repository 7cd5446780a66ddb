// The owner tags a poll keeps: of a resource's tags, only the keys the operator configured
// (HWCERT_OWNER_TAGS), so unrelated tags never become labels or sit in memory.

import type { ResourceTag } from "../cloud/tags.js";
import type { OwnerTags } from "./snapshot.js";

const NO_TAGS: OwnerTags = Object.freeze({});

/** Tags are re-read at most this often per resource: they change rarely, and each costs a call. */
export const TAGS_REFRESH_SECONDS = 3_600;

/** The configured keys present among `tags`; a repeated key keeps its first value. */
export function pickOwnerTags(tags: readonly ResourceTag[], keys: readonly string[]): OwnerTags {
  if (keys.length === 0 || tags.length === 0) return NO_TAGS;
  const picked: Record<string, string> = {};
  for (const tag of tags) {
    if (keys.includes(tag.key) && !Object.hasOwn(picked, tag.key)) picked[tag.key] = tag.value;
  }
  return Object.keys(picked).length === 0 ? NO_TAGS : Object.freeze(picked);
}

/** The value of one owner tag key; "" when the resource does not carry it. */
export function ownerTagValue(tags: OwnerTags | null, key: string): string {
  return (tags !== null && Object.hasOwn(tags, key) ? tags[key] : undefined) ?? "";
}
