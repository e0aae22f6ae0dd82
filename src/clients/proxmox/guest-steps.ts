import { compareText, createChange } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import type { ProxmoxClient } from './client.js';
import { diffGuestConfig, proxmoxTags } from './guest-config.js';
import { readUnlockedConfig } from './guest-lock.js';
import type { VmResource } from './inventory.js';
import { resizeStep } from './resize-steps.js';
import { rootStep } from './root-steps.js';
import { startStep } from './start-steps.js';
import { readSecretParams, secretParamFields, secretParamsRefusal } from './secret-params.js';
import type { ProxmoxPlanOptions, ProxmoxStep, StepContext } from './step.js';
import { signalOf } from './step.js';
import { clientOptionText } from '../../plan/client-option.js';

const enc = encodeURIComponent;

/**
 * Plans one container or VM: create it (waiting for the task) when it does not exist, else update the config keys
 * that differ, sending the `digest` it read. A guest locked by a running task (its create, after a lost answer) is
 * waited for first, see {@link readUnlockedConfig}. Keys only root@pam may set go to a separate root@pam step when the
 * client cannot act as root@pam. Secret parameters (`cipassword`) are read from the environment only when the step
 * runs; the plan shows the variable they come from. Proxmox never returns a stored `cipassword` (`**********`), so
 * an existing one is left alone. An existing guest without the artifact's tags (the SDK's marker) was made by hand or
 * by another tool: its changes are planned as `adopt` and applied only with {@link ProxmoxPlanOptions.adopt}. A
 * guest whose artifact says `start` gets a last step that starts it when it is not running (see `startStep`).
 *
 * @param guest - The guest artifact.
 * @param live - The guest as the cluster lists it, when it exists.
 * @param client - A connected client (its config is read for an existing guest).
 * @param options - The environment secret parameters come from, the progress callback, and the signal.
 * @returns The guest step, plus a resize, a root@pam and a start step when they are due.
 */
export async function guestSteps(
  guest: GuestSpec,
  live: VmResource | undefined,
  client: ProxmoxClient,
  options: ProxmoxPlanOptions,
): Promise<ProxmoxStep[]> {
  const { signal } = options;
  const env = options.env ?? process.env;
  const id = String(guest.vmid);
  const rootKeys = new Set(client.canActAsRoot ? [] : guest.rootOnly);
  const base = { rootOnly: false, createsToken: false, phase: 5 };

  const config = live ? await readUnlockedConfig(client, live.node, guest.type, guest.vmid, options) : undefined;
  if (!live || !config) {
    const params: Record<string, string | number> = Object.fromEntries(
      Object.entries(guest.params).filter(([key]) => !rootKeys.has(key)),
    );
    if (guest.type === 'lxc' && params['unprivileged'] === undefined) params['unprivileged'] = 1;
    const secretKeys = Object.keys(guest.secretParams).sort();
    const fields = [
      ...Object.entries(params).map(([path, after]) => ({ path, after })),
      ...secretParamFields(guest, secretKeys),
    ].sort((a, b) => compareText(a.path, b.path));
    const steps: ProxmoxStep[] = [
      {
        ...base,
        ...optionalRefusal(secretParamsRefusal(guest, secretKeys, env)),
        change: createChange('proxmox', guest.type, id, 'create', fields, [`on ${guest.node}`]),
        run: async ({ client: c }) => {
          const upid = await c.request<string>('POST', `/nodes/${enc(guest.node)}/${guest.type}`, {
            form: { ...params, ...readSecretParams(guest, secretKeys, env, c) },
            ...signalOf(signal),
          });
          await c.waitForTask(upid, signal);
        },
      },
    ];
    const resize = resizeStep(guest, guest.node, undefined, signal);
    if (resize) steps.push(resize);
    const rootFields = guest.rootOnly
      .filter((key) => rootKeys.has(key) && guest.params[key] !== undefined)
      .map((path) => ({ path, after: guest.params[path] }));
    if (rootFields.length) steps.push(rootStep(guest, 'create', rootFields, guest.node));
    const start = startStep(guest, undefined, rootFields.length ? { node: guest.node } : undefined, signal);
    if (start) steps.push(start);
    return steps;
  }

  const configPath = `/nodes/${enc(live.node)}/${guest.type}/${guest.vmid}/config`;
  const diff = diffGuestConfig(guest.type, guest.params, config);
  const notes = [...diff.notes];
  if (live.node !== guest.node) notes.push(`lives on ${live.node}, artifact says ${guest.node}; not migrated`);
  if (typeof config['lock'] === 'string') notes.push(`locked (${config['lock']})`);
  const secretKeys = Object.keys(guest.secretParams)
    .filter((key) => config[key] === undefined)
    .sort();
  const fields = [
    ...diff.fields.filter((field) => !rootKeys.has(field.path)),
    ...secretParamFields(guest, secretKeys),
  ].sort((a, b) => compareText(a.path, b.path));
  const rootFields = diff.fields.filter((field) => rootKeys.has(field.path));
  const resize = resizeStep(guest, live.node, config, signal);
  const owned = carriesTags(config['tags'], guest.params['tags']);
  if (!owned) notes.push(`carries no ${String(guest.params['tags'])} tag: made by hand or by another tool`);
  const adoptRefusal =
    !owned && !options.adopt && (fields.length > 0 || rootFields.length > 0 || resize !== undefined)
      ? `${guest.type} ${guest.vmid}: carries no ${String(guest.params['tags'])} tag, so the SDK did not make it; apply with ${clientOptionText('adopt')} to take it over, or give the guest another VMID in the topology`
      : undefined;
  const form: Record<string, string | number> = Object.fromEntries(
    fields
      .filter((field) => !secretKeys.includes(field.path))
      .map((field) => [field.path, field.after as string | number]),
  );
  if (typeof config['digest'] === 'string') form['digest'] = config['digest'];
  const steps: ProxmoxStep[] = [
    {
      ...base,
      ...optionalRefusal(adoptRefusal ?? secretParamsRefusal(guest, secretKeys, env)),
      change: createChange(
        'proxmox',
        guest.type,
        id,
        fields.length ? (owned ? 'update' : 'adopt') : 'no-op',
        fields,
        notes,
      ),
      ...(fields.length
        ? {
            run: async ({ client: c }: StepContext) =>
              void (await c.request('PUT', configPath, {
                form: { ...form, ...readSecretParams(guest, secretKeys, env, c) },
                ...signalOf(signal),
              })),
          }
        : {}),
    },
  ];
  if (resize) steps.push(resize);
  if (rootFields.length) steps.push(rootStep(guest, 'update', rootFields, live.node));
  const start = startStep(guest, live, rootFields.length ? { node: live.node } : undefined, signal);
  if (start) steps.push(start);
  return steps;
}

/**
 * Whether a live guest carries every tag its artifact gives it: the marker (`talos-sdk`) of a guest the SDK created
 * or adopted.
 *
 * @param live - The live config's `tags`.
 * @param desired - The artifact's `tags`.
 * @returns `true` when every desired tag is there.
 */
export function carriesTags(live: unknown, desired: unknown): boolean {
  const split = (value: unknown): string[] => (typeof value === 'string' ? proxmoxTags(value) : []);
  const have = new Set(split(live));
  return split(desired).every((tag) => have.has(tag));
}

/** The `refusal` field of a step, or nothing (`exactOptionalPropertyTypes`). */
function optionalRefusal(refusal: string | undefined): { refusal?: string } {
  return refusal === undefined ? {} : { refusal };
}
