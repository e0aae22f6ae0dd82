/**
 * Omni's ConfigPatch content rules, stated here on their own from Omni's source, never taken from the SDK's rules
 * (a wrong SDK rule must not make the emulator agree with it): `ValidateConfigPatch` in siderolabs/omni
 * `client/pkg/omni/resources/omni/config_patch.go`, called on create (and on an update that changes the data) by
 * `internal/backend/runtime/omni/validations/config_patch.go`. The patch must load with Talos' configloader with
 * `$patch: delete` allowed (strategic merge documents only, so a JSON6902 operation list fails), and then every
 * document is checked: a forbidden document kind is refused whole; the legacy v1alpha1 document (no `kind`) must not
 * set a forbidden field, even to `$patch: delete`, and a kind document must not set that kind's forbidden fields;
 * a forbidden element must not appear in the listed fields.
 *
 * @module
 */
import { loadAll } from 'js-yaml';

/** Legacy v1alpha1 fields Omni controls (`forbiddenFields`, dotted paths). */
export const OMNI_FORBIDDEN_FIELDS: readonly string[] = [
  'cluster.clusterName',
  'cluster.id',
  'cluster.controlPlane.endpoint',
  'cluster.token',
  'cluster.secret',
  'cluster.aescbcEncryptionSecret',
  'cluster.secretboxEncryptionSecret',
  'cluster.ca',
  'cluster.acceptedCAs',
  'cluster.serviceAccount',
  'machine.token',
  'machine.ca',
  'machine.type',
  'machine.install.disk',
  'machine.install.extensions',
  'machine.acceptedCAs',
];

/** Document kinds Omni generates and refuses in a patch (`forbiddenDocuments`). */
export const OMNI_FORBIDDEN_DOCUMENTS: readonly string[] = [
  'UnattendedInstallConfig',
  'DiscoveryIdentityConfig',
  'KubeClusterConfig',
  'KubeEtcdEncryptionConfig',
  'KubeAPIServerCAConfig',
  'KubeAggregatorCAConfig',
];

/** Fields refused inside documents of a kind (`documentForbiddenFields`). */
export const OMNI_FORBIDDEN_DOCUMENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  KubeServiceAccountConfig: ['issuer.privateKey'],
};

/** List elements refused in a field, by document kind; `''` is the legacy v1alpha1 document. */
export const OMNI_FORBIDDEN_ELEMENTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '': { 'machine.features.kubernetesTalosAPIAccess.allowedRoles': ['os:admin'] },
  KubeTalosAPIAccessConfig: { allowedRoles: ['os:admin'] },
};

/** Top-level keys of the legacy v1alpha1 document. */
const LEGACY_KEYS = ['machine', 'cluster', 'debug', 'persist'];

/**
 * Checks a ConfigPatch's text.
 *
 * @param data - The patch YAML (one or more documents).
 * @returns The first problem, phrased as Omni does after `failed to validate: `, or `undefined` when accepted.
 */
export function configPatchProblem(data: string): string | undefined {
  let documents: unknown[];
  try {
    documents = loadAll(data);
  } catch (error) {
    return `config patch is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  for (const document of documents) {
    if (document === null || document === undefined) continue;
    if (Array.isArray(document)) {
      return 'JSON6902 patches are not supported in config patches; use a strategic merge patch';
    }
    if (typeof document !== 'object') return 'config patch document is not a mapping';
    const problem = documentProblem(document as Record<string, unknown>);
    if (problem) return problem;
  }
  return undefined;
}

function documentProblem(record: Record<string, unknown>): string | undefined {
  const kind = record['kind'];
  if (typeof kind === 'string') {
    if (typeof record['apiVersion'] !== 'string') return `document of kind ${kind} has no apiVersion`;
    if (OMNI_FORBIDDEN_DOCUMENTS.includes(kind)) return `the "${kind}" document is not allowed in the config patch`;
  } else if (!LEGACY_KEYS.some((key) => key in record)) {
    return 'config patch document has neither kind nor machine/cluster';
  }
  const fields = typeof kind === 'string' ? (OMNI_FORBIDDEN_DOCUMENT_FIELDS[kind] ?? []) : OMNI_FORBIDDEN_FIELDS;
  for (const field of fields) {
    if (valueAt(record, field) !== undefined) return `overriding "${field}" is not allowed in the config patch`;
  }
  const elements = OMNI_FORBIDDEN_ELEMENTS[typeof kind === 'string' ? kind : ''] ?? {};
  for (const [field, refused] of Object.entries(elements)) {
    const value = valueAt(record, field);
    const element = Array.isArray(value) ? value.find((item) => refused.includes(item as string)) : undefined;
    if (element !== undefined) return `element "${String(element)}" is not allowed in field "${field}"`;
  }
  return undefined;
}

/** The value at a dotted path (Omni's `getField`: maps only), or `undefined` when a part is missing. */
function valueAt(record: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = record;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
