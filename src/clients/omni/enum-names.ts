/**
 * Enum fields of the Omni specs the plan compares, shown by name (`updateStrategy: "Rolling"`) rather than by wire
 * number. ts-proto (with `outputJsonMethods=false`) emits no field descriptors at run time, so which enum each field
 * holds is declared here, once per field; the names themselves come from the generated TypeScript enums, whose
 * reverse mapping gives the proto name of each number (`UpdateStrategy[1] === 'Rolling'`).
 *
 * @module
 */
import {
  GrpcTunnelMode,
  MachineSetSpec_MachineAllocation_Type,
  UpdateStrategy,
} from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import type { ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';

/** A generated numeric enum: number to name, name to number. */
type GeneratedEnum = Readonly<Record<number | string, string | number>>;

/** The enum of each enum field, by dotted path inside the spec, for each kind the plan compares. */
const ENUM_FIELDS: ReadonlyMap<ResourceKind<unknown>, Readonly<Record<string, GeneratedEnum>>> = new Map<
  ResourceKind<unknown>,
  Readonly<Record<string, GeneratedEnum>>
>([
  [
    omniKinds.MachineSet as ResourceKind<unknown>,
    {
      updateStrategy: UpdateStrategy,
      deleteStrategy: UpdateStrategy,
      upgradeStrategy: UpdateStrategy,
      'machineAllocation.allocationType': MachineSetSpec_MachineAllocation_Type,
    },
  ],
  [omniKinds.MachineClass as ResourceKind<unknown>, { 'autoProvision.grpcTunnel': GrpcTunnelMode }],
]);

/**
 * Replaces the numbers of a spec's enum fields with their names. A number the generated enum does not know (a value
 * newer than this client) stays a number.
 *
 * @param kind - The spec's kind.
 * @param spec - The spec as plain data (see `plain` in `plan.ts`); not changed.
 * @returns The spec with enum names, a copy where something changed.
 */
export function withEnumNames(kind: ResourceKind<unknown>, spec: unknown): unknown {
  const fields = ENUM_FIELDS.get(kind);
  if (!fields) return spec;
  let named = spec;
  for (const [path, names] of Object.entries(fields)) named = nameAt(named, path.split('.'), names);
  return named;
}

function nameAt(value: unknown, path: readonly string[], names: GeneratedEnum): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const [key = '', ...rest] = path;
  if (!Object.hasOwn(value, key)) return value;
  const record = value as Record<string, unknown>;
  const item = record[key];
  const replaced = rest.length > 0 ? nameAt(item, rest, names) : typeof item === 'number' ? names[item] : item;
  return typeof replaced === 'string' || rest.length > 0 ? { ...record, [key]: replaced } : value;
}
