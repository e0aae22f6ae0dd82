/**
 * Simulated Omni controllers: they put finalizers on new Clusters and MachineSets, release them some ticks after
 * teardown (a Cluster only once its MachineSets are gone), and maintain ClusterStatus / MachineSetStatus.
 *
 * @module
 */
import type { Resource } from '@talos-sdk/omni-client/generated/cosi/resource.js';
import { EventType } from '@talos-sdk/omni-client/generated/cosi/state.js';
import {
  ClusterStatusSpec,
  ClusterStatusSpec_Phase,
  MachineSetPhase,
  MachineSetStatusSpec,
} from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import { omniKinds } from '@talos-sdk/omni-client';
import type { ResourcePointer, ResourceStore, StoreEvent } from './store.js';

/** Pace of the simulated controllers. */
export interface ControllerOptions {
  /** Milliseconds per tick. Defaults to 5. */
  readonly tickMs?: number;
  /** Ticks between a teardown and the release of the finalizer. Defaults to 3. */
  readonly finalizerReleaseTicks?: number;
  /** Ticks between creation and a ready status. Defaults to 4. */
  readonly readyTicks?: number;
}

/** Finalizer the simulated cluster controller puts on Clusters. */
export const CLUSTER_FINALIZER = 'ClusterController';
/** Finalizer the simulated machine set controller puts on MachineSets. */
export const MACHINE_SET_FINALIZER = 'MachineSetController';

const CLUSTER_LABEL = 'omni.sidero.dev/cluster';
const STATUS_OWNER = 'StatusController';

interface Task {
  readonly due: number;
  readonly run: () => void;
}

/** Runs the simulated controllers on a timer until stopped. */
export class SimulatedControllers {
  readonly #store: ResourceStore;
  readonly #releaseTicks: number;
  readonly #readyTicks: number;
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #tick = 0;
  #tasks: Task[] = [];
  readonly #pendingTeardown = new Set<string>();

  /**
   * @param store - The state to act on.
   * @param options - Pace.
   */
  constructor(store: ResourceStore, options: ControllerOptions = {}) {
    this.#store = store;
    this.#releaseTicks = options.finalizerReleaseTicks ?? 3;
    this.#readyTicks = options.readyTicks ?? 4;
    this.#unsubscribe = store.subscribe((event) => this.#observe(event));
    this.#timer = setInterval(() => this.#step(), options.tickMs ?? 5);
    this.#timer.unref();
  }

  /** Stops the timer and the subscription. */
  stop(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  #schedule(after: number, run: () => void): void {
    this.#tasks.push({ due: this.#tick + after, run });
  }

  #step(): void {
    this.#tick++;
    const due = this.#tasks.filter((task) => task.due <= this.#tick);
    this.#tasks = this.#tasks.filter((task) => task.due > this.#tick);
    for (const task of due) task.run();
    this.#refreshClusterStatuses();
  }

  #observe(event: StoreEvent): void {
    const metadata = event.resource.metadata;
    if (!metadata || metadata.owner !== '') return;
    const finalizer =
      metadata.type === omniKinds.Cluster.type
        ? CLUSTER_FINALIZER
        : metadata.type === omniKinds.MachineSet.type
          ? MACHINE_SET_FINALIZER
          : undefined;
    if (finalizer === undefined) return;
    const pointer: ResourcePointer = { namespace: metadata.namespace, type: metadata.type, id: metadata.id };
    if (event.type === EventType.CREATED) {
      this.#schedule(1, () => this.#addFinalizer(pointer, finalizer));
      this.#schedule(2, () => this.#createStatus(event.resource));
      this.#schedule(this.#readyTicks, () => this.#markMachineSetReady(event.resource));
    } else if (event.type === EventType.UPDATED && metadata.phase === 'tearingDown') {
      const key = `${metadata.type}/${metadata.id}`;
      if (this.#pendingTeardown.has(key) || !metadata.finalizers.includes(finalizer)) return;
      this.#pendingTeardown.add(key);
      this.#schedule(this.#releaseTicks, () => this.#release(pointer, finalizer, key));
    }
  }

  #addFinalizer(pointer: ResourcePointer, finalizer: string): void {
    const current = this.#store.get(pointer);
    if (!current?.metadata || current.metadata.phase !== 'running') return;
    if (current.metadata.finalizers.includes(finalizer)) return;
    this.#store.mutate(pointer, (resource) => resource.metadata?.finalizers.push(finalizer));
  }

  #release(pointer: ResourcePointer, finalizer: string, key: string): void {
    if (pointer.type === omniKinds.Cluster.type && this.#machineSetsOf(pointer.id).length > 0) {
      this.#schedule(1, () => this.#release(pointer, finalizer, key));
      return;
    }
    this.#pendingTeardown.delete(key);
    const status = statusPointer(pointer);
    if (status) this.#store.remove(status);
    this.#store.mutate(pointer, (resource) => {
      if (resource.metadata) resource.metadata.finalizers = resource.metadata.finalizers.filter((f) => f !== finalizer);
    });
  }

  #createStatus(resource: Resource): void {
    const metadata = resource.metadata;
    if (!metadata || !this.#store.get({ ...metadata })) return;
    const status = statusPointer(metadata);
    if (!status || this.#store.get(status)) return;
    const isCluster = metadata.type === omniKinds.Cluster.type;
    const spec = isCluster
      ? ClusterStatusSpec.encode(ClusterStatusSpec.create({ phase: ClusterStatusSpec_Phase.SCALING_UP })).finish()
      : MachineSetStatusSpec.encode(MachineSetStatusSpec.create({ phase: MachineSetPhase.ScalingUp })).finish();
    const cluster = isCluster ? metadata.id : (metadata.labels[CLUSTER_LABEL] ?? '');
    this.#store.put({
      metadata: {
        ...status,
        version: '1',
        owner: STATUS_OWNER,
        phase: 'running',
        finalizers: [],
        labels: { ...metadata.labels, [CLUSTER_LABEL]: cluster },
        annotations: {},
        created: undefined,
        updated: undefined,
      },
      spec: { protoSpec: Buffer.from(spec), yamlSpec: '' },
    });
  }

  #markMachineSetReady(resource: Resource): void {
    const metadata = resource.metadata;
    if (metadata?.type !== omniKinds.MachineSet.type) return;
    const status = statusPointer(metadata);
    if (!status || !this.#store.get(status)) {
      this.#schedule(1, () => this.#markMachineSetReady(resource));
      return;
    }
    const spec = MachineSetStatusSpec.create({ phase: MachineSetPhase.Running, ready: true });
    this.#store.mutate(status, (next) => {
      next.spec = { protoSpec: Buffer.from(MachineSetStatusSpec.encode(spec).finish()), yamlSpec: '' };
    });
  }

  #refreshClusterStatuses(): void {
    const { ClusterStatus, MachineSetStatus } = omniKinds;
    for (const status of this.#store.list(ClusterStatus.namespace, ClusterStatus.type)) {
      const id = status.metadata?.id ?? '';
      const sets = this.#store
        .list(MachineSetStatus.namespace, MachineSetStatus.type)
        .filter((set) => set.metadata?.labels[CLUSTER_LABEL] === id);
      const ready =
        sets.length > 0 &&
        sets.every((set) => MachineSetStatusSpec.decode(set.spec?.protoSpec ?? new Uint8Array()).ready);
      const current = ClusterStatusSpec.decode(status.spec?.protoSpec ?? new Uint8Array());
      if (current.ready === ready) continue;
      const next = ClusterStatusSpec.create({
        available: ready,
        ready,
        kubernetesAPIReady: ready,
        controlplaneReady: ready,
        phase: ready ? ClusterStatusSpec_Phase.RUNNING : ClusterStatusSpec_Phase.SCALING_UP,
        machines: { total: sets.length, healthy: ready ? sets.length : 0 },
      });
      this.#store.mutate({ namespace: ClusterStatus.namespace, type: ClusterStatus.type, id }, (resource) => {
        resource.spec = { protoSpec: Buffer.from(ClusterStatusSpec.encode(next).finish()), yamlSpec: '' };
      });
    }
  }

  #machineSetsOf(cluster: string): Resource[] {
    return this.#store
      .list(omniKinds.MachineSet.namespace, omniKinds.MachineSet.type)
      .filter((set) => set.metadata?.labels[CLUSTER_LABEL] === cluster);
  }
}

function statusPointer(pointer: ResourcePointer): ResourcePointer | undefined {
  if (pointer.type === omniKinds.Cluster.type) {
    return { namespace: 'default', type: omniKinds.ClusterStatus.type, id: pointer.id };
  }
  if (pointer.type === omniKinds.MachineSet.type) {
    return { namespace: 'default', type: omniKinds.MachineSetStatus.type, id: pointer.id };
  }
  return undefined;
}
