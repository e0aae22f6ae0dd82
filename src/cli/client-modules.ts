/**
 * Each target's client module, imported when first used, and the loading of those a run will need while its first
 * requests wait on the network.
 *
 * @module
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import type { TargetNode } from '../orchestration/target-graph.js';
import type { PlanTarget } from '../plan/change.js';

const require = createRequire(import.meta.url);

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
 * Files of the heavy CommonJS packages, each required on its own before its package: loading a package runs its
 * whole `require` graph in one go, which a piece of it at a time spreads out. Each piece below is at most 10–16 ms on
 * Node 20 here, where the packages whole are 35 ms (ssh2) and 25–35 ms (gRPC). A file a later version of the package
 * moved is skipped (the package's own load then does its work); `test/client-modules.test.ts` checks that each still
 * resolves in the versions installed.
 */
export const PACKAGE_FILES_FIRST: Readonly<Partial<Record<PlanTarget, readonly string[]>>> = {
  hosts: [
    // The cipher and key-exchange tables, with node:crypto (10–14 ms).
    'ssh2/lib/protocol/constants.js',
    'ssh2/lib/protocol/keyParser.js',
    'ssh2/lib/protocol/kex.js',
    'ssh2/lib/protocol/SFTP.js',
    'ssh2/lib/protocol/Protocol.js',
    'ssh2/lib/client.js',
  ],
  omni: [
    // Node's HTTP/2 (7 ms), then gRPC's resolver and its subchannel with the transport (6 and 12 ms).
    'node:http2',
    '@grpc/grpc-js/build/src/resolver-dns.js',
    '@grpc/grpc-js/build/src/subchannel.js',
  ],
};

/** One piece of loading: a module, with whatever it imports that is not loaded yet. */
type LoadPiece = () => Promise<unknown>;

/** The packages each client module imports that take long to load, each a piece of its own before the module. */
const HEAVY_PACKAGES: Readonly<Record<PlanTarget, readonly LoadPiece[]>> = {
  // The generated API's wire format (16 ms) apart from the client that reads it (10 ms).
  omni: [
    () => import('@grpc/grpc-js'),
    () => import('@bufbuild/protobuf/wire'),
    () => import('@talos-sdk/omni-client'),
  ],
  proxmox: [],
  unifi: [],
  hosts: [() => import('ssh2')],
  auth0: [],
  tailscale: [() => import('jsonc-parser')],
};

/** A piece that requires one file. */
const requireFile =
  (file: string): LoadPiece =>
  async () =>
    require(file);

/** The pieces a target's client module is loaded in, the module itself last. */
function loadPieces(target: PlanTarget): LoadPiece[] {
  const files = (PACKAGE_FILES_FIRST[target] ?? []).map(requireFile);
  return [...files, ...HEAVY_PACKAGES[target], CLIENT_MODULES[target]];
}

/**
 * undici's diagnostics channel for a request whose headers it is about to write to the socket (undici's
 * "Diagnostics Channel" documentation, `undici:client:sendHeaders`): whoever sent it now waits a round trip at least.
 */
const REQUEST_SENT = 'undici:client:sendHeaders';

/**
 * Loads the client modules of a run's targets while its requests wait on the network. Loading a module is synchronous
 * work (ssh2 and gRPC take 25–35 ms each on Node 20), which the run would otherwise do between one target's last
 * answer and the next target's first request, on its critical path; done at any moment, it holds up whichever answer
 * arrives meanwhile, as loading them all once the first target was done held up the Proxmox chain that runs beside
 * it by 20–45 ms at a time. So one piece at a time, each in the event-loop turn right after a request was written
 * (when its answer is a round trip away), and the next only after another request: the loading keeps pace with the
 * requests and fills the waits for their answers. A run that sends no HTTP request loads nothing ahead; each
 * client then loads when its target starts, as it would without this. A piece that fails is left for the session
 * that needs the module to report.
 *
 * @param nodes - The run's nodes, in the order they will run.
 */
export function loadClientModulesWhileWaiting(nodes: readonly TargetNode[]): void {
  const queue = [...new Set(nodes.map((node) => node.target))].flatMap(loadPieces);
  let loading = false;
  const loadNext = (piece: LoadPiece): void => {
    piece()
      .catch(() => undefined)
      .finally(() => {
        loading = false;
        if (queue.length === 0) unsubscribe(REQUEST_SENT, onRequestSent);
      });
  };
  function onRequestSent(): void {
    const piece = loading ? undefined : queue.shift();
    if (!piece) return;
    loading = true;
    setImmediate(loadNext, piece);
  }
  if (queue.length > 0) subscribe(REQUEST_SENT, onRequestSent);
}
