/** An item whose key an earlier item already has. */
export interface Repeat<T> {
  /** The repeating item. */
  readonly item: T;
  /** Its position. */
  readonly index: number;
  /** The position of the first item with the same key. */
  readonly first: number;
}

/**
 * Finds the items whose key an earlier item already has: the one check behind every "declared twice" finding.
 *
 * @param items - The items, in order.
 * @param keyOf - What makes two items the same.
 * @returns Each repeat with its own position and the first one's, in order.
 */
export function repeats<T>(items: readonly T[], keyOf: (item: T) => string): Repeat<T>[] {
  const seen = new Map<string, number>();
  const found: Repeat<T>[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else found.push({ item, index, first });
  });
  return found;
}
