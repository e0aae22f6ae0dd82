/**
 * How the clients say what they wait for. A wait reporter is told when a long wait begins (a Proxmox task, an Omni
 * watch until a cluster is ready or a provider connects) and is handed back a function to call when it ends; the
 * caller decides how to show it (the CLI prints the elapsed time every few seconds on stderr). Clients never keep
 * time for it and never pass it a secret.
 *
 * @module
 */

/**
 * Told that a wait begins.
 *
 * @param what - What is awaited, for a person, e.g. `Proxmox task vzcreate 200 on node pve-1`.
 * @returns Called once when the wait ends, however it ends.
 *
 * @example
 * ```ts
 * const onWait: WaitReporter = (what) => {
 *   const started = Date.now();
 *   return () => console.error(`${what}: ${Date.now() - started} ms`);
 * };
 * ```
 */
export type WaitReporter = (what: string) => () => void;

/**
 * Runs a wait, telling a reporter when it begins and ends.
 *
 * @param onWait - The reporter, if any.
 * @param what - What is awaited.
 * @param wait - The wait itself.
 * @returns What the wait returns.
 */
export async function reportingWait<T>(
  onWait: WaitReporter | undefined,
  what: string,
  wait: () => Promise<T>,
): Promise<T> {
  const end = onWait?.(what);
  try {
    return await wait();
  } finally {
    end?.();
  }
}
