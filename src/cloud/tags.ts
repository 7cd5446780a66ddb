// Resource tags as Huawei Cloud services print them (`[{key, value}]`), read leniently: tags only
// label ownership, so a malformed entry is skipped rather than failing the resource it is on.

import { z } from "zod";

export interface ResourceTag {
  readonly key: string;
  /** "" when the tag has a key only. */
  readonly value: string;
}

const tagSchema = z.object({ key: z.string().min(1), value: z.string().nullish() });

/** The well-formed `{key, value}` entries of a `tags` field; [] for anything else. */
export function readTags(field: unknown): ResourceTag[] {
  if (!Array.isArray(field)) return [];
  const tags: ResourceTag[] = [];
  for (const entry of field) {
    const parsed = tagSchema.safeParse(entry);
    if (parsed.success) tags.push({ key: parsed.data.key, value: parsed.data.value ?? "" });
  }
  return tags;
}
