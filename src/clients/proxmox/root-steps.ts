import type { ChangeAction, FieldDiff } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import type { ProxmoxStep } from './step.js';
import { clientOptionText } from '../../plan/client-option.js';

/**
 * The step for guest keys only root@pam may set (device passthrough, LXC feature flags other than nesting), when the
 * client cannot act as root@pam. It has no `run`: apply refuses it, or skips it with `skipRootOnly`, and its note
 * gives the host command a person can run instead.
 *
 * @param guest - The guest artifact.
 * @param action - `create` for a guest about to be created, `update` for a live one.
 * @param fields - The root-only keys and their values.
 * @param node - The node the guest is (or will be) on, where the host command runs.
 * @returns The root@pam step.
 */
export function rootStep(
  guest: GuestSpec,
  action: ChangeAction,
  fields: readonly FieldDiff[],
  node: string,
): ProxmoxStep {
  const keys = fields.map((field) => field.path);
  const note =
    `needs root@pam: only root@pam may set ${keys.join(', ')}; apply with PROXMOX_ROOT_PASSWORD (root@pam ticket), or ` +
    `${action === 'create' ? `apply with ${clientOptionText('skipRootOnly')}, then ` : ''}run on ${node}: ${hostCommand(guest, keys)}`;
  return {
    rootOnly: true,
    createsToken: false,
    phase: 6,
    change: createChange('proxmox', guest.type, `${guest.vmid} (root@pam)`, action, fields, [note]),
  };
}

function hostCommand(guest: GuestSpec, keys: readonly string[]): string {
  const args = keys.map((key) => `--${key} ${String(guest.params[key])}`).join(' ');
  return `${guest.type === 'lxc' ? 'pct' : 'qm'} set ${guest.vmid} ${args}`;
}
