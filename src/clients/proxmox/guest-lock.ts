import { HttpServerError } from '../http/errors.js';
import type { ProxmoxClient } from './client.js';
import { ProxmoxTaskError } from './errors.js';
import type { ProxmoxPlanOptions } from './step.js';

const enc = encodeURIComponent;

/** How many times a lock is waited out before the guest is planned with it (a new task may take the lock again). */
const LOCK_ROUNDS = 3;

/** One running task as `GET /nodes/{node}/tasks?source=active` lists it. */
export interface ActiveTask {
  /** The task's UPID. */
  readonly upid: string;
  /** Its type, e.g. `vzcreate`, `qmstart`. */
  readonly type: string;
}

/**
 * The tasks running for a guest, from its node's task list (`GET /nodes/{node}/tasks?vmid=…&source=active`,
 * pve-manager `PVE/API2/Tasks.pm`).
 *
 * @param client - A connected client.
 * @param node - The node the guest lives on.
 * @param vmid - The guest.
 * @param signal - Cancels the request.
 * @returns The running tasks.
 */
export async function activeGuestTasks(
  client: ProxmoxClient,
  node: string,
  vmid: number,
  signal: AbortSignal | undefined,
): Promise<readonly ActiveTask[]> {
  return client.get<ActiveTask[]>(`/nodes/${enc(node)}/tasks`, { vmid, source: 'active' }, signal);
}

/**
 * Waits for a task, whatever its outcome: a failed task is no reason to stop, the state read next says what it left.
 *
 * @param client - A connected client.
 * @param task - The task.
 * @param signal - Cancels the requests.
 */
export async function waitOutTask(
  client: ProxmoxClient,
  task: ActiveTask,
  signal: AbortSignal | undefined,
): Promise<void> {
  await client.waitForTask(task.upid, signal).catch((error: unknown) => {
    if (!(error instanceof ProxmoxTaskError)) throw error;
  });
}

/**
 * Reads a guest's config, first waiting for the tasks that hold it locked. While pve-container or qemu-server create
 * a guest, its config holds only `lock: create` (`create_and_lock_config`) and every update is refused (`CT is locked
 * (create)`); the same goes for a backup, a clone or a migration. A rerun after a lost create answer would otherwise
 * plan every key as missing and send an update that cannot succeed. The guest's running tasks
 * ({@link activeGuestTasks}) are waited for, each reported through `onProgress`.
 *
 * @param client - A connected client.
 * @param node - The node the guest lives on.
 * @param type - Guest type.
 * @param vmid - The guest.
 * @param options - The progress callback and the signal that cancels the requests.
 * @returns The config once no task holds it locked (a lock no running task holds is returned as is, for the plan to
 *   show), or `undefined` when the guest is gone (its create task failed and removed it).
 */
export async function readUnlockedConfig(
  client: ProxmoxClient,
  node: string,
  type: 'lxc' | 'qemu',
  vmid: number,
  options: ProxmoxPlanOptions,
): Promise<Record<string, unknown> | undefined> {
  const { signal } = options;
  let config: Record<string, unknown> | undefined;
  for (let round = 0; round <= LOCK_ROUNDS; round++) {
    config = await readConfig(client, node, type, vmid, signal);
    if (config === undefined || typeof config['lock'] !== 'string' || round === LOCK_ROUNDS) return config;
    const tasks = await activeGuestTasks(client, node, vmid, signal);
    if (tasks.length === 0) return config;
    for (const task of tasks) {
      options.onProgress?.(
        `${type} ${vmid} is locked (${config['lock']}): waiting for task ${task.type} ${task.upid} on ${node}`,
      );
      await waitOutTask(client, task, signal);
    }
  }
  return config;
}

async function readConfig(
  client: ProxmoxClient,
  node: string,
  type: 'lxc' | 'qemu',
  vmid: number,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.get<Record<string, unknown>>(`/nodes/${enc(node)}/${type}/${vmid}/config`, undefined, signal);
  } catch (error) {
    // `Configuration file 'nodes/<node>/lxc/<vmid>.conf' does not exist` (PVE::AbstractConfig `load_config`).
    if (error instanceof HttpServerError && error.status === 500 && /does not exist/.test(error.upstreamMessage ?? ''))
      return undefined;
    throw error;
  }
}
