// Decides, once for every source, whether a resource's state changed since the last poll. A
// state equal to the previous one is handed back as the previous object, and a map whose entries
// all came back is the previous map: the metrics renderer reuses text by identity. Equality is
// structural over the plain data snapshots hold, so no field can be forgotten; it does not look
// into class instances or typed arrays (never part of a state), which are equal only to themselves.

/**
 * True when `a` and `b` hold the same data: primitives by value (NaN equal to itself), arrays
 * and maps entry by entry in order (order is exposition order), plain objects key by key in any
 * order. The same object is equal to itself without a look inside, which makes the usual case
 * (parsed certificates recalled from the bundle cache, tags carried over) cost one comparison.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) return Array.isArray(b) && sameArray(a, b);
  if (a instanceof Map) return b instanceof Map && sameMap(a, b);
  return isPlainObject(a) && isPlainObject(b) && sameRecord(a, b);
}

/** `previous` when it holds the same data as `next`, else `next`. */
export function unchanged<T>(previous: T | undefined, next: T): T {
  return previous !== undefined && sameValue(previous, next) ? previous : next;
}

/**
 * The next map of a source's resources (or of anything keyed), sharing what did not change:
 * each value equal to the previous value of its key is the previous object, and when every
 * entry is equal to the previous one, in the same order, the result is `previous` itself.
 */
export function keepUnchanged<K, V>(
  previous: ReadonlyMap<K, V> | undefined,
  next: ReadonlyMap<K, V>,
): ReadonlyMap<K, V> {
  if (previous === undefined) return next;
  // Walks both maps side by side while they agree: a lookup by key costs far more than the
  // comparison itself (keys parsed from JSON are new strings every poll, hashed again).
  const last = previous.entries();
  let agreeing = 0;
  let shared: Map<K, V> | null = null;
  for (const [key, value] of next) {
    if (shared === null) {
      const entry = last.next().value;
      if (entry !== undefined && entry[0] === key && sameValue(entry[1], value)) {
        agreeing++;
        continue;
      }
      shared = leadingEntries(previous, agreeing);
    }
    shared.set(key, unchanged(previous.get(key), value));
  }
  if (shared !== null) return shared;
  return agreeing === previous.size ? previous : leadingEntries(previous, agreeing);
}

/** A new map of the first `count` entries of `map`. */
function leadingEntries<K, V>(map: ReadonlyMap<K, V>, count: number): Map<K, V> {
  const leading = new Map<K, V>();
  for (const [key, value] of map) {
    if (leading.size === count) break;
    leading.set(key, value);
  }
  return leading;
}

// The loops below compare identical values inline (the common case) before recursing: at 10,000
// resources a steady-state poll compares about 100,000 values, and a call per value doubled the
// cost.

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !sameValue(x, y)) return false;
  }
  return true;
}

function sameMap(a: ReadonlyMap<unknown, unknown>, b: ReadonlyMap<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  const others = b.entries();
  for (const [key, value] of a) {
    const entry = others.next().value;
    if (entry === undefined || !sameValue(entry[0], key)) return false;
    if (value !== entry[1] && !sameValue(value, entry[1])) return false;
  }
  return true;
}

/** Plain objects only (see isPlainObject): they inherit no enumerable key. */
function sameRecord(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): boolean {
  let keys = 0;
  for (const key in a) {
    const x = a[key];
    const y = b[key];
    if (x !== y && !sameValue(x, y)) return false;
    // `{ k: undefined }` is not `{}`.
    if (y === undefined && !Object.hasOwn(b, key)) return false;
    keys++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) keys--;
  return keys === 0;
}

function isPlainObject(value: object): value is Readonly<Record<string, unknown>> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
