/**
 * Omni's ConfigPatch content rules: strategic merge patches only (no JSON6902), no forbidden fields in the
 * v1alpha1 document, no forbidden documents, no `os:admin` Talos API role.
 *
 * @module
 */
import { loadAll } from 'js-yaml';
import { OMNI_OWNED_FIELDS, OMNI_OWNED_KINDS } from '../../rules/talos-facts.js';

const LEGACY_KEYS = ['machine', 'cluster', 'debug', 'persist'];

/**
 * Checks a ConfigPatch's text.
 *
 * @param data - The patch YAML (one or more documents).
 * @returns The first problem, phrased as Omni would after `failed to validate: `, or `undefined` when accepted.
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
    const record = document as Record<string, unknown>;
    const kind = record['kind'];
    if (typeof kind === 'string') {
      const problem = kindDocumentProblem(kind, record);
      if (problem) return problem;
      continue;
    }
    if (!LEGACY_KEYS.some((key) => key in record)) return 'config patch document has neither kind nor machine/cluster';
    for (const field of OMNI_OWNED_FIELDS) {
      if (hasPath(record, field)) return `overriding "${field}" is not allowed in the config patch`;
    }
    if (rolesOf(record, ['machine', 'features', 'kubernetesTalosAPIAccess', 'allowedRoles']).includes('os:admin')) {
      return 'role "os:admin" is not allowed in machine.features.kubernetesTalosAPIAccess.allowedRoles';
    }
  }
  return undefined;
}

function kindDocumentProblem(kind: string, record: Record<string, unknown>): string | undefined {
  if (typeof record['apiVersion'] !== 'string') return `document of kind ${kind} has no apiVersion`;
  if (OMNI_OWNED_KINDS.includes(kind)) return `document of kind ${kind} is not allowed in the config patch`;
  if (kind === 'KubeServiceAccountConfig' && hasPath(record, 'issuer.privateKey')) {
    return 'overriding "issuer.privateKey" of KubeServiceAccountConfig is not allowed';
  }
  if (kind === 'KubeTalosAPIAccessConfig' && rolesOf(record, ['allowedRoles']).includes('os:admin')) {
    return 'role "os:admin" is not allowed in KubeTalosAPIAccessConfig allowedRoles';
  }
  return undefined;
}

function hasPath(record: Record<string, unknown>, dotted: string): boolean {
  let node: unknown = record;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

function rolesOf(record: Record<string, unknown>, path: readonly string[]): unknown[] {
  let node: unknown = record;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return [];
    node = (node as Record<string, unknown>)[part];
  }
  return Array.isArray(node) ? node : [];
}
