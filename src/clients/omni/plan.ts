/**
 * Planning against Omni: desired resources from artifacts compared with live state read by one List per kind.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan, UnmanagedObject } from '../../plan/index.js';
import { createChange, createPlan, diffFields } from '../../plan/index.js';
import type { ConfigPatchSpec, MachineClassSpec, OmniClient, OmniResource, ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';
import { inflateConfigPatch } from './config-patch-data.js';
import type { DesiredResource } from './desired.js';
import { desiredOmniState } from './desired.js';
import { MANAGED_BY_ANNOTATION } from './sdk-annotations.js';
import { PROVIDER_KEY_ENV, infraProviderAccount, isProviderAccountRegistered } from './provider-account.js';
import type { SecretDestination } from '../secret-destination.js';
import { withEnumNames } from './enum-names.js';
import { describeSecretDestination } from '../secret-destination.js';
import type { ProviderStack } from './provider-stacks.js';
import { providerStacks } from './provider-stacks.js';
import { clientOptionText } from '../../plan/client-option.js';

/** The kinds the SDK manages, in the order Omni needs them created. */
export const MANAGED_KINDS: readonly ResourceKind<unknown>[] = [
  omniKinds.InfraProvider,
  omniKinds.MachineClass,
  omniKinds.Cluster,
  omniKinds.ExtensionsConfiguration,
  omniKinds.ConfigPatch,
  omniKinds.MachineSet,
];

/** One planned step, with what apply needs to carry it out. */
export interface OmniStep {
  /** The change as shown to people. */
  readonly change: Change;
  /** The resource's kind. */
  readonly kind: ResourceKind<unknown>;
  /** What should exist (create, update, no-op). */
  readonly desired?: DesiredResource;
  /** What exists (update, delete, no-op). */
  readonly live?: OmniResource<unknown>;
  /**
   * On an SDK-owned InfraProvider create, or update of one not yet marked registered: apply registers its
   * `infra-provider:<id>` service account and writes the key.
   */
  readonly registersAccount?: true;
}

/**
 * The plan of some steps, its changes sorted as every plan is (kind, then id), and the steps sorted the same way in
 * place, so the steps are carried out in the order the plan lists them.
 *
 * @param steps - The steps; sorted in place.
 * @param unmanaged - The live objects left alone.
 * @returns The plan.
 */
export function planOfSteps(steps: OmniStep[], unmanaged: readonly UnmanagedObject[]): Plan {
  const plan = createPlan(
    'omni',
    steps.map((step) => step.change),
    unmanaged,
  );
  const order = new Map(plan.changes.map((item, position) => [item, position]));
  steps.sort((a, b) => (order.get(a.change) ?? 0) - (order.get(b.change) ?? 0));
  return plan;
}

/** A {@link Plan} for Omni plus the steps apply carries out. */
export interface OmniPlan extends Plan {
  /** Topology name (value of the ownership annotation). */
  readonly topology: string;
  /** Every step, in plan order. */
  readonly steps: readonly OmniStep[];
  /** The compose stack that runs each infra provider, by provider ID (from the artifacts). */
  readonly providerStacks: Readonly<Record<string, ProviderStack>>;
}

/** Options of {@link planOmni}. */
export interface PlanOmniOptions {
  /** Plan deletion of managed resources the artifacts no longer contain. Defaults to `true`. */
  readonly prune?: boolean;
  /**
   * Where apply writes the service-account key of an infra provider it registers. Needed only when an
   * `InfraProviders/<id>` must be created; the key is never printed.
   */
  readonly providerKey?: SecretDestination;
  /**
   * The variable an `envFile` destination sets. Defaults to the variable the provider's compose file interpolates
   * into `OMNI_SERVICE_ACCOUNT_KEY` (see {@link providerKeyVariable}).
   */
  readonly providerKeyEnv?: string;
}

/** The client calls planning needs. */
export type OmniReader = Pick<OmniClient, 'list'>;

/**
 * Plans what applying the artifacts would change in Omni. Reads live state with exactly one List per managed kind
 * plus one of InfraProviderStatus (seven round trips, whatever the number of resources). Only resources annotated
 * `talos-sdk.dev/managed-by: <topology>` with owner `""` are updated or deleted; other user resources are listed as
 * unmanaged, and controller-owned ones are ignored. An InfraProvider registered outside the SDK (e.g. by `omnictl
 * infraprovider create`) satisfies the artifacts as it is. Creating an InfraProvider includes registering its
 * service account, and an SDK-made one not marked `talos-sdk.dev/provider-account: registered` (an interrupted
 * registration) is planned as an update that registers it; a MachineClass change notes when its provider has not connected yet (apply waits for it).
 *
 * @param artifacts - The artifact set (manifest included).
 * @param client - A connected client.
 * @param options - Whether to prune, and where a new provider key would go (for the notes).
 * @returns The plan; its `changes` hold field-level diffs of the spec, labels and annotations.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { createOmniClient, planOmni } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' }); // key from OMNI_SERVICE_ACCOUNT_KEY
 * const plan = await planOmni(await readArtifactSet('out'), omni);
 * console.log(formatPlan(plan));
 * omni.close();
 * ```
 */
export async function planOmni(
  artifacts: ArtifactSet,
  client: OmniReader,
  options: PlanOmniOptions = {},
): Promise<OmniPlan> {
  const { topology, resources } = desiredOmniState(artifacts);
  const [statuses, liveByKind] = await Promise.all([
    client.list(omniKinds.InfraProviderStatus),
    Promise.all(MANAGED_KINDS.map((kind) => client.list(kind))),
  ]);
  const connected = new Set(statuses.map((status) => status.metadata.id));
  const stacks = providerStacks(artifacts);
  const registration = registrationNote(options, stacks);
  const steps: OmniStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  MANAGED_KINDS.forEach((kind, index) => {
    const live = new Map((liveByKind[index] ?? []).map((resource) => [resource.metadata.id, resource]));
    const desiredIds = new Set<string>();
    for (const desired of resources.filter((resource) => resource.kind === kind)) {
      desiredIds.add(desired.id);
      const current = live.get(desired.id);
      const step = planResource(kind, desired, current, topology, {
        registration,
        connection: connectionNote(desired, connected),
      });
      // It holds an ID the artifacts declare, so it sits in the SDK's namespace.
      if ('reason' in step) unmanaged.push({ ...step, inSdkNamespace: true });
      else steps.push(step);
    }
    for (const current of live.values()) {
      if (desiredIds.has(current.metadata.id) || current.metadata.owner !== '') continue;
      const manager = current.metadata.annotations[MANAGED_BY_ANNOTATION];
      if (manager === topology) {
        if (options.prune ?? true) {
          steps.push({ change: createChange('omni', kind.kind, current.metadata.id, 'delete'), kind, live: current });
        }
      } else {
        unmanaged.push({
          kind: kind.kind,
          id: current.metadata.id,
          reason: manager === undefined ? `no ${MANAGED_BY_ANNOTATION} annotation` : `managed by topology "${manager}"`,
        });
      }
    }
  });
  const plan = planOfSteps(steps, unmanaged);
  return {
    ...plan,
    topology,
    steps,
    providerStacks: stacks,
  };
}

/** Notes a planned change may carry. */
interface StepNotes {
  /** On an InfraProvider create or re-registration: the service account registration that goes with it. */
  readonly registration: (id: string) => string;
  /** On a MachineClass create or update: that its provider has not connected yet. */
  readonly connection: string | undefined;
}

function planResource(
  kind: ResourceKind<unknown>,
  desired: DesiredResource,
  current: OmniResource<unknown> | undefined,
  topology: string,
  notes: StepNotes,
): OmniStep | UnmanagedObject {
  const step = (action: Change['action'], fields: Change['fields'], note?: string): OmniStep => ({
    change: createChange('omni', kind.kind, desired.id, action, fields, [note]),
    kind,
    desired,
    ...(current ? { live: current } : {}),
  });
  const registering = (action: Change['action'], fields: Change['fields']): OmniStep => ({
    ...step(action, fields, notes.registration(desired.id)),
    registersAccount: true,
  });
  if (!current) {
    const wanted = view(kind, desired);
    const fields = diffFields(skeleton(wanted), wanted);
    return kind === omniKinds.InfraProvider ? registering('create', fields) : step('create', fields, notes.connection);
  }
  if (current.metadata.owner !== '') {
    return { kind: kind.kind, id: desired.id, reason: `exists, owned by controller "${current.metadata.owner}"` };
  }
  const manager = current.metadata.annotations[MANAGED_BY_ANNOTATION];
  if (manager === undefined && kind === omniKinds.InfraProvider) {
    return step('no-op', [], 'registered outside the SDK; left as it is');
  }
  if (manager !== topology) {
    return {
      kind: kind.kind,
      id: desired.id,
      reason:
        manager === undefined
          ? `exists without ${MANAGED_BY_ANNOTATION}: ${topology}; delete it or add the annotation to adopt it`
          : `exists, managed by topology "${manager}"`,
    };
  }
  const fields = diffFields(liveView(kind, current, desired), view(kind, desired));
  if (kind === omniKinds.InfraProvider && !isProviderAccountRegistered(current)) return registering('update', fields);
  return fields.length > 0 ? step('update', fields, notes.connection) : step('no-op', []);
}

/**
 * The variable an env-file destination sets for a provider's key: the one asked for, else the one the provider's
 * compose file interpolates (`OMNI_SERVICE_ACCOUNT_KEY: ${LAB_OMNI_KEY:?…}` gives `LAB_OMNI_KEY`, so the stack's
 * `.env` gets the name Compose reads), else {@link PROVIDER_KEY_ENV}.
 *
 * @param id - Provider ID.
 * @param stacks - The providers' stacks from the artifacts.
 * @param requested - The variable the caller asked for, if any.
 * @returns The variable name.
 */
export function providerKeyVariable(
  id: string,
  stacks: Readonly<Record<string, ProviderStack>>,
  requested?: string,
): string {
  return requested ?? (Object.hasOwn(stacks, id) ? stacks[id]?.keyVariable : undefined) ?? PROVIDER_KEY_ENV;
}

function registrationNote(
  options: PlanOmniOptions,
  stacks: Readonly<Record<string, ProviderStack>>,
): (id: string) => string {
  const destination = options.providerKey;
  return (id) => {
    const written = destination
      ? `its key is written to ${describeSecretDestination(destination, providerKeyVariable(id, stacks, options.providerKeyEnv))}`
      : `apply needs a place for its key (${clientOptionText('providerKey')})`;
    return `registers service account ${infraProviderAccount(id)} (role InfraProvider); ${written}`;
  };
}

/**
 * The provider a desired MachineClass auto-provisions from, when it has not connected yet.
 *
 * @param desired - Any desired resource.
 * @param connected - IDs of providers with an InfraProviderStatus.
 * @returns The note for its change, or `undefined`.
 */
function connectionNote(desired: DesiredResource, connected: ReadonlySet<string>): string | undefined {
  const provider = machineClassProvider(desired);
  return provider === undefined || connected.has(provider)
    ? undefined
    : `provider ${provider} has not connected to Omni yet; apply waits for its heartbeat and InfraProviderStatus`;
}

/**
 * The infra provider a desired resource needs connected: the `auto_provision` provider of a MachineClass.
 *
 * @param desired - Any desired resource.
 * @returns The provider ID, or `undefined` for other kinds and static classes.
 */
export function machineClassProvider(desired: DesiredResource): string | undefined {
  if (desired.kind !== omniKinds.MachineClass) return undefined;
  return (desired.spec as MachineClassSpec).autoProvision?.providerId || undefined;
}

/** The compared view of a desired resource: normalised spec, labels and annotations. */
function view(kind: ResourceKind<unknown>, desired: DesiredResource): Record<string, unknown> {
  return {
    spec: withEnumNames(kind, plain(kind.spec.decode(kind.spec.encode(desired.spec).finish()))),
    labels: { ...desired.labels },
    annotations: { ...desired.annotations },
  };
}

/** The live side, restricted to the label and annotation keys the SDK sets (others are preserved, not compared). */
function liveView(
  kind: ResourceKind<unknown>,
  current: OmniResource<unknown>,
  desired: DesiredResource,
): Record<string, unknown> {
  const pick = (
    record: Readonly<Record<string, string>>,
    keys: Readonly<Record<string, string>>,
  ): Record<string, string> =>
    Object.fromEntries(
      Object.keys(keys)
        .filter((key) => key in record)
        .map((key) => [key, record[key] ?? '']),
    );
  return {
    spec: withEnumNames(
      kind,
      plain(kind === omniKinds.ConfigPatch ? inflateConfigPatch(current.spec as ConfigPatchSpec) : current.spec),
    ),
    labels: pick(current.metadata.labels, desired.labels),
    annotations: pick(current.metadata.annotations, desired.annotations),
  };
}

/** The nested objects of a value without their leaves, so a create diffs leaf by leaf from nothing. */
function skeleton(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, skeleton(item)] as const)
      .filter(([, item]) => item !== undefined),
  );
}

/**
 * Turns a decoded spec into JSON-like data for diffs: bytes as base64, dates as ISO text, absent sub-messages
 * dropped.
 *
 * @param value - A decoded spec or part of one.
 * @returns Plain data.
 */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, plain(item)]),
    );
  }
  return value;
}
