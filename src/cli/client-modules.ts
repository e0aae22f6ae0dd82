/**
 * Each target's client module, imported when first used, and the preloading of those a run will need.
 *
 * @module
 */
import type { PlanTarget } from '../plan/change.js';
import type { OpenTargetSession } from '../orchestration/run-all.js';
import type { TargetNode } from '../orchestration/target-graph.js';

/** Imports a target's client module (Node loads each once; later calls get the same module). */
export const CLIENT_MODULES = {
  omni: () => import('../clients/omni/index.js'),
  proxmox: () => import('../clients/proxmox/index.js'),
  unifi: () => import('../clients/unifi/index.js'),
  hosts: () => import('../clients/hosts/index.js'),
  auth0: () => import('../clients/auth0/index.js'),
  tailscale: () => import('../clients/tailscale/index.js'),
} as const satisfies Record<PlanTarget, () => Promise<unknown>>;

/**
 * The packages each client module imports that take long to load, each loaded on its own before the client: loading
 * a module runs its whole import graph in one go, and the Omni client's alone (gRPC and the generated API) would hold
 * the event loop for 40–50 ms on Node 20.
 */
const HEAVY_PACKAGES: Readonly<Record<PlanTarget, readonly (() => Promise<unknown>)[]>> = {
  omni: [() => import('@grpc/grpc-js'), () => import('@talos-sdk/omni-client')],
  proxmox: [],
  unifi: [],
  hosts: [() => import('ssh2')],
  auth0: [],
  tailscale: [() => import('jsonc-parser')],
};

/**
 * Loads the client modules of the targets of a run while its first ones wait on the network. Loading a client is
 * synchronous work (ssh2 and gRPC take 20–35 ms each to compile and run on Node 20), which the run would
 * otherwise do between one target's last answer and the next target's first request, on its critical path. One
 * package or module at a time, each in an event-loop turn of its own (`setImmediate`), so an answer that arrives
 * meanwhile waits for one piece at most; a module that fails to load is left for the session that needs it to report.
 *
 * @param targets - The targets, in the order they will run.
 */
function preloadClientModules(targets: readonly PlanTarget[]): void {
  const queue = [...new Set(targets)].flatMap((target) => [...HEAVY_PACKAGES[target], CLIENT_MODULES[target]]);
  const next = (): void => {
    const load = queue.shift();
    if (!load) return;
    load().then(
      () => setImmediate(next),
      () => setImmediate(next),
    );
  };
  setImmediate(next);
}

/**
 * Opens sessions with `open`, and once the first node is done loads the clients of the other nodes in the
 * background, in the nodes' order. Not sooner: the first nodes' own clients load as they open, and their first
 * requests would wait for the others'; and no node that depends on another can start before one is done.
 *
 * @param open - Opens a node's session.
 * @param nodes - The nodes of the run, in dependency order.
 * @returns The same opener, whose sessions start the preloading when the first of them closes.
 */
export function preloadingOpener(open: OpenTargetSession, nodes: readonly TargetNode[]): OpenTargetSession {
  let preloading = false;
  const preload = (): void => {
    if (preloading) return;
    preloading = true;
    preloadClientModules(nodes.map((each) => each.target));
  };
  return async (node) => {
    const session = await open(node);
    return {
      ...session,
      close: async () => {
        await session.close();
        preload();
      },
    };
  };
}
