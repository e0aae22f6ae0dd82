import { HttpAbortError, HttpError, HttpTlsError } from '../http/errors.js';

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

/**
 * Tells whether a failed step is worth planning again in the same apply: the connection dropped or timed out (the
 * write may or may not have taken effect), Proxmox answered a transient 5xx, or a config update met a digest conflict
 * (its first attempt may have taken effect before a retry, or someone else changed the config: the next plan reads the
 * config again and compares). Refusals, failed tasks and TLS errors are not.
 *
 * @param error - What the step threw.
 * @returns `true` when a fresh plan may finish the work.
 */
export function isWorthReplanning(error: unknown): boolean {
  if (!(error instanceof HttpError) || error instanceof HttpTlsError || error instanceof HttpAbortError) return false;
  if (error.status === undefined) return true;
  if (error.status < 500) return false;
  return isTransientProxmoxError(error) || /detected modified configuration/i.test(error.upstreamMessage ?? '');
}
