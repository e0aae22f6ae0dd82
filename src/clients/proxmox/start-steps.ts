import type { ChangeAction } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import { activeGuestTasks, waitOutTask } from './guest-lock.js';
import type { VmResource } from './inventory.js';
import type { ProxmoxStep } from './step.js';
import { signalOf } from './step.js';

/** The task type of a start, as the node's task list names it. */
const START_TASK = { lxc: 'vzstart', qemu: 'qmstart' } as const;

/** Why a guest's start waits for a person: its root@pam settings are left for them (see `root-steps.ts`). */
export interface StartDeferral {
  /** The node the guest is on, where the person runs the host commands. */
  readonly node: string;
}

/**
 * The step that starts a guest whose artifact says `start` and that is not running: `POST
 * /nodes/{node}/{lxc|qemu}/{vmid}/status/start` (privilege `VM.PowerMgmt` on `/vms/{vmid}`), then the `vzstart` or
 * `qmstart` task is waited for. It runs last for its guest (after the create, the disk resize and the root@pam
 * settings): a container started before its `/dev/net/tun` or `keyctl` settings would run without them. When those
 * settings are left for a person, so is the start (its note gives the command). A running guest gets a `no-op`; apply
 * never stops one. Starting twice is refused by Proxmox (pve-container before forking: `CT <vmid> already running`;
 * qemu-server in the task: `VM <vmid> already running`), so after a lost answer the next round reads the status
 * again, and a start task still running for the guest is waited for and its outcome read before any new request.
 *
 * @param guest - The guest artifact.
 * @param live - The guest as `/cluster/resources` lists it (with its `status`), when it exists.
 * @param deferral - Set when the guest's root@pam settings are left for a person.
 * @param signal - Cancels the requests.
 * @returns The start step, or nothing when the artifact does not ask for a start.
 */
export function startStep(
  guest: GuestSpec,
  live: VmResource | undefined,
  deferral: StartDeferral | undefined,
  signal: AbortSignal | undefined,
): ProxmoxStep | undefined {
  if (!guest.start) return undefined;
  const id = `${guest.vmid} (start)`;
  const base = { rootOnly: false, createsToken: false, phase: 7 };
  if (live?.status === 'running') return { ...base, change: createChange('proxmox', guest.type, id, 'no-op') };
  const action: ChangeAction = live ? 'update' : 'create';
  const field = live
    ? { path: 'status', before: live.status ?? 'stopped', after: 'running' }
    : { path: 'status', after: 'running' };
  const node = live?.node ?? guest.node;
  const command = `${guest.type === 'lxc' ? 'pct' : 'qm'} start ${guest.vmid}`;
  if (deferral) {
    const note = `left for a person with the root@pam settings: after them, run on ${deferral.node}: ${command}`;
    return { ...base, deferred: true, change: createChange('proxmox', guest.type, id, action, [field], [note]) };
  }
  return {
    ...base,
    change: createChange('proxmox', guest.type, id, action, [field], [`on ${node}`]),
    run: async ({ client }) => {
      const status = `/nodes/${encodeURIComponent(node)}/${guest.type}/${guest.vmid}/status`;
      // A start whose answer was lost may still be running: wait for it and look, rather than start twice.
      const starting = (await activeGuestTasks(client, node, guest.vmid, signal)).filter(
        (task) => task.type === START_TASK[guest.type],
      );
      for (const task of starting) await waitOutTask(client, task, signal);
      if (starting.length > 0) {
        const current = await client.get<{ status?: string }>(`${status}/current`, undefined, signal);
        if (current.status === 'running') return;
      }
      const upid = await client.request<string>('POST', `${status}/start`, { ...signalOf(signal) });
      await client.waitForTask(upid, signal);
    },
  };
}
