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
 * Loads the client modules of the targets of a run while its first ones wait on the network. Loading a client is
 * synchronous work (ssh2, gRPC and OpenPGP take 20–35 ms each to compile and run on Node 20), which the run would
 * otherwise do between one target's last answer and the next target's first request, on its critical path. One module
 * at a time, each on a timer of its own, so the answers that arrive meanwhile are handled between them; a module that
 * fails to load is left for the session that needs it to report.
 *
 * @param targets - The targets, in the order they will run.
 */
function preloadClientModules(targets: readonly PlanTarget[]): void {
  const queue = [...new Set(targets)];
  const next = (): void => {
    const target = queue.shift();
    if (!target) return;
    CLIENT_MODULES[target]().then(
      () => setTimeout(next, 0),
      () => setTimeout(next, 0),
    );
  };
  setTimeout(next, 0);
}

/**
 * Opens sessions with `open`, and once the first one is open (its client loaded, its first requests about to leave)
 * loads the clients of the other nodes in the background, in the nodes' order.
 *
 * @param open - Opens a node's session.
 * @param nodes - The nodes of the run, in dependency order.
 * @returns The same opener, preloading on its first use.
 */
export function preloadingOpener(open: OpenTargetSession, nodes: readonly TargetNode[]): OpenTargetSession {
  let preloading = false;
  return async (node) => {
    const session = await open(node);
    if (!preloading) {
      preloading = true;
      preloadClientModules(nodes.map((each) => each.target));
    }
    return session;
  };
}
