// HWCERT_OWNER_TAGS: resource tag keys exported as `tag_<key>` labels of the ownership metric.
// Guarantees every key is a tag key Huawei Cloud could hold and no two keys make the same label
// name; which resources carry the tags is the sources' business, not this module's.

import { z } from "zod";
import type { OwnerTag } from "./config.js";
import { refuse, splitList, type TextSchema } from "./text-schemas.js";

/** Huawei Cloud allows at most 20 tags per resource; more labels than that cannot be meant. */
const MAX_OWNER_TAGS = 20;

/** Tag keys are case-sensitive, up to 128 characters, without "=" or white space. */
function isTagKey(key: string): boolean {
  return key.length <= 128 && !/[=\s\p{Cc}]/u.test(key);
}

export const ownerTagsText: TextSchema<readonly OwnerTag[]> = z
  .string()
  .transform((text, context) => {
    const keys = splitList(text);
    if (keys.length === 0) return refuse(context, "is set but lists no tag key");
    if (keys.length > MAX_OWNER_TAGS) {
      return refuse(context, `lists ${keys.length} tag keys; at most ${MAX_OWNER_TAGS}`);
    }
    const tags: OwnerTag[] = [];
    const byLabel = new Map<string, string>();
    const errors: string[] = [];
    for (const key of keys) {
      if (!isTagKey(key)) {
        errors.push(`"${key}" is not a tag key (at most 128 characters, no "=" or spaces)`);
        continue;
      }
      const label = `tag_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
      const other = byLabel.get(label);
      if (other !== undefined) {
        errors.push(
          other === key
            ? `"${key}" is listed twice`
            : `"${other}" and "${key}" would both be label ${label}`,
        );
        continue;
      }
      byLabel.set(label, key);
      tags.push({ key, label });
    }
    return errors.length > 0 ? refuse(context, ...errors) : tags;
  });
