/**
 * Builds a value on first use and keeps it. Schemas are built this way so that importing the package costs
 * nothing until a topology is actually validated.
 *
 * @param build - Makes the value.
 * @returns A function returning the same value on every call.
 */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
