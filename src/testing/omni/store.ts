/**
 * The emulator's in-memory COSI state: versions, owners, phases, finalizers and change events.
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { Resource } from '@talos-sdk/omni-client/generated/cosi/resource.js';
import { EventType } from '@talos-sdk/omni-client/generated/cosi/state.js';

/** A COSI failure with the gRPC status the server answers. */
export class CosiStatusError extends Error {
  /**
   * @param code - gRPC status code.
   * @param message - The message sent to the client.
   */
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'CosiStatusError';
  }
}

/** A change to a stored resource. */
export interface StoreEvent {
  /** CREATED, UPDATED or DESTROYED. */
  readonly type: EventType;
  /** The resource after the change (before it, for DESTROYED). */
  readonly resource: Resource;
}

/** A resource's address. */
export interface ResourcePointer {
  /** Namespace. */
  readonly namespace: string;
  /** Type. */
  readonly type: string;
  /** ID. */
  readonly id: string;
}

/** In-memory resources with COSI's write rules. Reads return copies; writes emit events synchronously. */
export class ResourceStore {
  readonly #items = new Map<string, Resource>();
  readonly #listeners = new Set<(event: StoreEvent) => void>();

  /**
   * Reads one resource.
   *
   * @param pointer - Namespace, type and ID.
   * @returns A copy, or `undefined`.
   */
  get(pointer: ResourcePointer): Resource | undefined {
    const stored = this.#items.get(keyOf(pointer));
    return stored && copy(stored);
  }

  /**
   * Lists a type in a namespace, sorted by ID.
   *
   * @param namespace - Namespace.
   * @param type - Type.
   * @returns Copies.
   */
  list(namespace: string, type: string): Resource[] {
    const out: Resource[] = [];
    for (const resource of this.#items.values()) {
      if (resource.metadata?.namespace === namespace && resource.metadata.type === type) out.push(copy(resource));
    }
    return out.sort((a, b) => compare(a.metadata?.id ?? '', b.metadata?.id ?? ''));
  }

  /**
   * Stores a new resource with version 1, `created = updated = now` and the given owner.
   *
   * @param resource - The resource (metadata and spec present).
   * @param owner - Owner to record.
   * @returns The stored copy.
   * @throws {@link CosiStatusError} `ALREADY_EXISTS`.
   */
  create(resource: Resource, owner: string): Resource {
    const metadata = required(resource);
    const key = keyOf(metadata);
    if (this.#items.has(key)) {
      throw new CosiStatusError(status.ALREADY_EXISTS, `resource ${describe(metadata)} already exists`);
    }
    const now = new Date();
    const stored = copy(resource);
    Object.assign(stored.metadata ?? {}, { version: '1', owner, created: now, updated: now });
    this.#items.set(key, stored);
    this.#emit(EventType.CREATED, stored);
    return copy(stored);
  }

  /**
   * Replaces a resource whose version and owner match.
   *
   * @param resource - The replacement.
   * @param owner - Owner the caller claims.
   * @param expectedPhase - Phase the stored resource must be in, if given.
   * @returns The stored copy with version + 1.
   * @throws {@link CosiStatusError} `NOT_FOUND`, `PERMISSION_DENIED`, `FAILED_PRECONDITION` or `INVALID_ARGUMENT`.
   */
  update(resource: Resource, owner: string, expectedPhase?: string): Resource {
    const metadata = required(resource);
    const current = this.#existing(metadata, owner);
    const currentMetadata = required(current);
    if (currentMetadata.version !== metadata.version) {
      throw new CosiStatusError(
        status.FAILED_PRECONDITION,
        `resource ${describe(metadata)} update conflict: expected version "${metadata.version}", actual version "${currentMetadata.version}"`,
      );
    }
    if (expectedPhase !== undefined && currentMetadata.phase !== expectedPhase) {
      throw new CosiStatusError(
        status.INVALID_ARGUMENT,
        `resource ${describe(metadata)} phase conflict: expected "${expectedPhase}", actual "${currentMetadata.phase}"`,
      );
    }
    const stored = copy(resource);
    Object.assign(stored.metadata ?? {}, {
      version: String(Number(currentMetadata.version) + 1),
      owner: currentMetadata.owner,
      created: currentMetadata.created,
      updated: new Date(),
    });
    this.#items.set(keyOf(metadata), stored);
    this.#emit(EventType.UPDATED, stored);
    return copy(stored);
  }

  /**
   * Moves a resource to `tearingDown` (no-op when already there).
   *
   * @param pointer - The resource.
   * @param owner - Owner the caller claims.
   * @returns Whether no finalizers are left.
   * @throws {@link CosiStatusError} `NOT_FOUND` or `PERMISSION_DENIED`.
   */
  teardown(pointer: ResourcePointer, owner: string): boolean {
    const current = this.#existing(pointer, owner);
    const metadata = required(current);
    if (metadata.phase !== 'tearingDown')
      this.mutate(pointer, (resource) => (required(resource).phase = 'tearingDown'));
    return metadata.finalizers.length === 0;
  }

  /**
   * Destroys a resource that has no finalizers.
   *
   * @param pointer - The resource.
   * @param owner - Owner the caller claims.
   * @throws {@link CosiStatusError} `NOT_FOUND`, `PERMISSION_DENIED` or `FAILED_PRECONDITION` (pending finalizers).
   */
  destroy(pointer: ResourcePointer, owner: string): void {
    const current = this.#existing(pointer, owner);
    const { finalizers } = required(current);
    if (finalizers.length > 0) {
      throw new CosiStatusError(
        status.FAILED_PRECONDITION,
        `resource ${describe(pointer)} has pending finalizers ${JSON.stringify(finalizers)}`,
      );
    }
    this.remove(pointer);
  }

  /**
   * Changes a resource without owner or version checks, as a controller adding a finalizer does; bumps the version.
   *
   * @param pointer - The resource.
   * @param change - Edits the copy in place.
   * @returns The stored copy, or `undefined` when the resource does not exist.
   */
  mutate(pointer: ResourcePointer, change: (resource: Resource) => void): Resource | undefined {
    const current = this.#items.get(keyOf(pointer));
    if (!current) return undefined;
    const next = copy(current);
    change(next);
    Object.assign(next.metadata ?? {}, {
      version: String(Number(required(current).version) + 1),
      updated: new Date(),
    });
    this.#items.set(keyOf(pointer), next);
    this.#emit(EventType.UPDATED, next);
    return copy(next);
  }

  /**
   * Creates or replaces a resource without any checks (test seeding, controllers).
   *
   * @param resource - The resource; its owner is kept.
   * @returns The stored copy.
   */
  put(resource: Resource): Resource {
    const metadata = required(resource);
    const current = this.#items.get(keyOf(metadata));
    if (!current) return this.create(resource, metadata.owner);
    return (
      this.mutate(metadata, (next) => {
        next.spec = copy(resource).spec;
        Object.assign(next.metadata ?? {}, {
          labels: { ...metadata.labels },
          annotations: { ...metadata.annotations },
          finalizers: [...metadata.finalizers],
          phase: metadata.phase,
          owner: metadata.owner,
        });
      }) ?? copy(resource)
    );
  }

  /**
   * Removes a resource without checks.
   *
   * @param pointer - The resource.
   * @returns Whether it existed.
   */
  remove(pointer: ResourcePointer): boolean {
    const current = this.#items.get(keyOf(pointer));
    if (!current) return false;
    this.#items.delete(keyOf(pointer));
    this.#emit(EventType.DESTROYED, current);
    return true;
  }

  /**
   * Subscribes to changes.
   *
   * @param listener - Called synchronously for every change.
   * @returns A function that unsubscribes.
   */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #existing(pointer: ResourcePointer, owner: string): Resource {
    const current = this.#items.get(keyOf(pointer));
    if (!current) throw new CosiStatusError(status.NOT_FOUND, `resource ${describe(pointer)} doesn't exist`);
    const storedOwner = required(current).owner;
    if (storedOwner !== owner) {
      throw new CosiStatusError(
        status.PERMISSION_DENIED,
        `resource ${describe(pointer)} is owned by "${storedOwner}", not "${owner}"`,
      );
    }
    return current;
  }

  #emit(type: EventType, resource: Resource): void {
    for (const listener of [...this.#listeners]) listener({ type, resource: copy(resource) });
  }
}

function required(resource: Resource): NonNullable<Resource['metadata']> {
  if (!resource.metadata) throw new CosiStatusError(status.UNKNOWN, 'metadata is missing');
  return resource.metadata;
}

function keyOf(pointer: ResourcePointer): string {
  return `${pointer.namespace}\u0000${pointer.type}\u0000${pointer.id}`;
}

function describe(pointer: ResourcePointer): string {
  return `${pointer.type}(${pointer.namespace}/${pointer.id})`;
}

function copy(resource: Resource): Resource {
  return Resource.decode(Resource.encode(resource).finish());
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
