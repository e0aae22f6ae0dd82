/** Privileges Proxmox VE 9 removed: a role naming them is refused ("invalid privilege"). */
const REMOVED_IN_9 = new Set(['VM.Monitor']);

/** Privileges that first appear in Proxmox VE 9 (guest-agent split of `VM.Monitor`, `VM.Replicate`). */
const ADDED_IN_9 = /^(VM\.GuestAgent\..+|VM\.Replicate)$/;

/** A role's privileges adapted to the running major version. */
export interface AdaptedPrivileges {
  /** The privileges to send, sorted. */
  readonly privs: readonly string[];
  /** The privileges left out because this version does not know them. */
  readonly dropped: readonly string[];
}

/**
 * Splits a role's privilege list (commas, semicolons or spaces, as the API splits it) and drops the names the major
 * version does not know, so a role written for one version still applies on the other.
 *
 * @param privs - The artifact's `privs` text.
 * @param major - The Proxmox VE major version (`GET /version`).
 * @returns The privileges to send and the dropped ones.
 */
export function adaptPrivileges(privs: string, major: number): AdaptedPrivileges {
  const all = [...new Set(privs.split(/[,;\s]+/).filter(Boolean))].sort();
  const unknown = (priv: string): boolean => (major >= 9 ? REMOVED_IN_9.has(priv) : ADDED_IN_9.test(priv));
  return { privs: all.filter((priv) => !unknown(priv)), dropped: all.filter(unknown) };
}
