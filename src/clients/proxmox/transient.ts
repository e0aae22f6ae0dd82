import type { HttpError } from '../http/errors.js';

/**
 * 500 messages of a Proxmox VE node that clear up by themselves: a config or cluster-filesystem lock that timed out
 * (`can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout`, `cfs-lock 'file-user_cfg' error: got lock
 * request timeout`), a cluster that lost quorum for a moment, a node proxy that could not connect.
 */
const TRANSIENT_500 =
  /got (lock request )?timeout|cfs-lock|no quorum|cluster not ready|temporar|connection (refused|reset|timed out)|broken pipe/i;

/**
 * Tells whether a Proxmox 5xx answer is worth sending again. Proxmox answers 500 for every `die` in a handler
 * (pve-http-server `src/PVE/APIServer/AnyEvent.pm`): a digest conflict (`detected modified configuration - file
 * changed by other user? Try again.`), a locked guest (`CT is locked (create)`), a missing object (`… does not
 * exist`), an object that already exists. Sending those again gets the same answer, so only the messages above, and
 * other 5xx statuses (a proxy's 502/503/504, pveproxy's 595/596 for an unreachable node), are retried; 501 (no such
 * method) never is.
 *
 * @param error - The failed attempt (status 500 or above).
 * @returns `true` when another attempt may succeed.
 */
export function isTransientProxmoxError(error: HttpError): boolean {
  if (error.status === 501) return false;
  if (error.status !== 500) return true;
  const message = error.upstreamMessage;
  if (message === undefined || message === '') return true;
  if (/detected modified configuration/i.test(message)) return false;
  return TRANSIENT_500.test(message);
}
