/**
 * What an infra provider's service account (role `InfraProvider`, name `infra-provider:<id>`) may do, the subset
 * of Omni's infra-provider state the emulator mirrors: nothing until `InfraProviders/<id>` exists, then read the
 * provider kinds and write its own `InfraProviderStatuses/<id>` (what a provider does when it starts) and
 * `InfraProviderHealthStatuses/<id>` (its heartbeat, in namespace `infra-provider-ephemeral`).
 *
 * @module
 */
import { omniKinds } from '@talos-sdk/omni-client';
import type { ResourceStore } from './store.js';

/** The resource (or kind, for List and Watch) a State call is about. */
export interface CallTarget {
  /** Namespace. */
  readonly namespace: string;
  /** Type. */
  readonly type: string;
  /** ID, when the call names one. */
  readonly id?: string;
}

const PROVIDER_PREFIX = 'infra-provider:';
/** The kinds a provider reads, with their namespace. */
const READABLE = new Map(
  [omniKinds.InfraProvider, omniKinds.InfraProviderStatus, omniKinds.InfraProviderHealthStatus].map((kind) => [
    kind.type,
    kind.namespace,
  ]),
);
/** The kinds a provider writes (its own status and heartbeat). */
const WRITABLE = new Set([omniKinds.InfraProviderStatus.type, omniKinds.InfraProviderHealthStatus.type]);

/**
 * Reads the target of a State request: `namespace`/`type`/`id` fields, or the metadata of the resource sent with
 * Create and Update.
 *
 * @param request - A decoded request of any State method (or another service's, which has no target).
 * @returns The target, or `undefined`.
 */
export function callTarget(request: unknown): CallTarget | undefined {
  const fields = (request ?? {}) as {
    namespace?: string;
    type?: string;
    id?: string;
    resource?: { metadata?: CallTarget };
    newResource?: { metadata?: CallTarget };
  };
  const metadata = fields.resource?.metadata ?? fields.newResource?.metadata;
  if (metadata) return { namespace: metadata.namespace, type: metadata.type, id: metadata.id ?? '' };
  if (typeof fields.type !== 'string') return undefined;
  return { namespace: fields.namespace ?? '', type: fields.type, ...(fields.id ? { id: fields.id } : {}) };
}

/**
 * Checks a call signed by an infra provider's key.
 *
 * @param store - Current state (the provider must be registered).
 * @param identity - The key's account name.
 * @param write - Whether the call changes state.
 * @param target - What the call is about.
 * @returns Why the call is refused, or `undefined` when allowed.
 */
export function providerAccessProblem(
  store: ResourceStore,
  identity: string,
  write: boolean,
  target: CallTarget | undefined,
): string | undefined {
  if (!identity.startsWith(PROVIDER_PREFIX)) return `${identity} is not an infra provider account`;
  const id = identity.slice(PROVIDER_PREFIX.length);
  const registered = store.get({
    namespace: omniKinds.InfraProvider.namespace,
    type: omniKinds.InfraProvider.type,
    id,
  });
  if (!registered) return `infra provider "${id}" is not registered`;
  if (!target || READABLE.get(target.type) !== target.namespace) {
    return `infra provider "${id}" has no access to ${target?.type ?? 'this call'}`;
  }
  if (target.id !== undefined && target.id !== id) return `infra provider "${id}" cannot access ID "${target.id}"`;
  if (write && !WRITABLE.has(target.type)) {
    return `infra provider "${id}" cannot write ${target.type}`;
  }
  return undefined;
}
