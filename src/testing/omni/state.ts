/**
 * Typed direct access to the emulator's resources for tests: seed what a UI user, a controller or an infra
 * provider would have written, and inspect what the client wrote.
 *
 * @module
 */
import type { OmniResource, ResourceKind } from '@talos-sdk/omni-client';
import { fromWireResource, toWireResource } from '@talos-sdk/omni-client';
import type { ResourceStore } from './store.js';

/** A resource to seed. */
export interface SeedResource<S> {
  /** ID. */
  readonly id: string;
  /** Namespace; defaults to the kind's. */
  readonly namespace?: string;
  /** Owner; `""` (a user) by default. */
  readonly owner?: string;
  /** Labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Finalizers. */
  readonly finalizers?: readonly string[];
  /** Spec. */
  readonly spec: S;
}

/** Typed, check-free access to the emulator's state. */
export interface EmulatorState {
  /**
   * Reads one resource.
   *
   * @param kind - The kind.
   * @param id - Its ID.
   * @param namespace - Namespace; defaults to the kind's.
   * @returns The resource, or `undefined`.
   */
  get<S>(kind: ResourceKind<S>, id: string, namespace?: string): OmniResource<S> | undefined;
  /**
   * Lists a kind, sorted by ID.
   *
   * @param kind - The kind.
   * @param namespace - Namespace; defaults to the kind's.
   * @returns The resources.
   */
  list<S>(kind: ResourceKind<S>, namespace?: string): OmniResource<S>[];
  /**
   * Creates or replaces a resource without auth or validation (version bumps as usual).
   *
   * @param kind - The kind.
   * @param seed - The resource.
   * @returns The stored resource.
   */
  put<S>(kind: ResourceKind<S>, seed: SeedResource<S>): OmniResource<S>;
  /**
   * Removes a resource without checks.
   *
   * @param kind - The kind.
   * @param id - Its ID.
   * @param namespace - Namespace; defaults to the kind's.
   * @returns Whether it existed.
   */
  remove<S>(kind: ResourceKind<S>, id: string, namespace?: string): boolean;
}

/**
 * Wraps the emulator's store in the typed {@link EmulatorState} view.
 *
 * @param store - The emulator's store.
 * @returns The view.
 */
export function emulatorState(store: ResourceStore): EmulatorState {
  return {
    get: (kind, id, namespace = kind.namespace) => {
      const resource = store.get({ namespace, type: kind.type, id });
      return resource && fromWireResource(kind, resource);
    },
    list: (kind, namespace = kind.namespace) =>
      store.list(namespace, kind.type).map((resource) => fromWireResource(kind, resource)),
    put: (kind, seed) => {
      const wire = toWireResource(kind, {
        metadata: {
          namespace: seed.namespace ?? kind.namespace,
          type: kind.type,
          id: seed.id,
          owner: seed.owner ?? '',
          phase: 'running',
          finalizers: seed.finalizers ?? [],
          labels: seed.labels ?? {},
          annotations: seed.annotations ?? {},
        },
        spec: seed.spec,
      });
      return fromWireResource(kind, store.put(wire));
    },
    remove: (kind, id, namespace = kind.namespace) => store.remove({ namespace, type: kind.type, id }),
  };
}
