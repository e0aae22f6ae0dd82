import type { Rule, RuleFinding } from './rule.js';
import { clusterPatches, initialTalosMinor } from './cluster-patches.js';
import { CONFLICTING_FORMS, KINDS_SINCE, LEGACY_FIELDS, valueAt } from './talos-facts.js';

const LEGACY_ROOT_KEYS = ['machine', 'cluster', 'debug', 'persist'];

/**
 * Patches are written in the style of the cluster's base config, which Omni generates for the cluster's initial
 * Talos version: no legacy fields that version dropped, no kinds newer than the running version, no Kubernetes kinds
 * over a legacy base, and never the legacy and the new form of one setting together.
 */
export const patchStyleRule: Rule = {
  id: 'patch-style',
  severity: 'error',
  description: "Talos patches match the style of the cluster's initial Talos version and never mix old and new forms.",
  check(topology) {
    const findings: RuleFinding[] = [];
    const formsByCluster = new Map<string, { legacy: Map<string, string>; kinds: Map<string, string> }>();
    for (const { cluster, path, patch } of clusterPatches(topology)) {
      const spec = topology.clusters[cluster];
      if (!spec) continue;
      const initial = initialTalosMinor(topology, cluster);
      const running = Number(/^v\d+\.(\d+)/.exec(spec.talosVersion)?.[1] ?? 0);
      const forms = formsByCluster.get(cluster) ?? { legacy: new Map(), kinds: new Map() };
      formsByCluster.set(cluster, forms);
      patch.documents.forEach((document, index) => {
        const where = `${path}.documents.${index}`;
        const kind = document.kind;
        if (kind === undefined) {
          if (!LEGACY_ROOT_KEYS.some((key) => key in document)) {
            findings.push({
              path: where,
              message: 'a document without kind must be the v1alpha1 config (machine, cluster, debug or persist)',
            });
          }
          for (const field of LEGACY_FIELDS) {
            if (initial >= field.removedIn && valueAt(document, field.path) !== undefined) {
              findings.push({
                path: `${where}.${field.path}`,
                message: `${field.path} left the Talos 1.${field.removedIn} schema and this cluster's base config is 1.${initial} style; use ${field.replacement}`,
              });
            }
          }
          for (const form of CONFLICTING_FORMS)
            if (valueAt(document, form.path) !== undefined) forms.legacy.set(form.path, `${where}.${form.path}`);
          return;
        }
        if (typeof kind !== 'string' || document.apiVersion !== 'v1alpha1') {
          findings.push({ path: where, message: 'a kind document needs apiVersion: v1alpha1 and a kind name' });
          return;
        }
        const since = Object.hasOwn(KINDS_SINCE, kind) ? KINDS_SINCE[kind] : undefined;
        if (since === undefined) {
          findings.push({ path: `${where}.kind`, message: `${kind} is not a Talos config document kind` });
        } else if (since > running) {
          findings.push({
            path: `${where}.kind`,
            message: `${kind} needs Talos 1.${since} or later; clusters.${cluster}.talosVersion is ${spec.talosVersion}`,
          });
        } else if (since >= 14 && initial < 14 && kind.startsWith('Kube')) {
          findings.push({
            path: `${where}.kind`,
            message: `${kind} conflicts with the legacy base config of a cluster created on Talos 1.${initial}; set the matching machine.* or cluster.* field instead`,
          });
        }
        forms.kinds.set(kind, where);
      });
    }
    for (const forms of formsByCluster.values()) {
      for (const form of CONFLICTING_FORMS) {
        const legacy = forms.legacy.get(form.path);
        const modern = forms.kinds.get(form.kind);
        if (legacy && modern) {
          findings.push({
            path: legacy,
            message: `Talos refuses ${form.path} together with ${form.kind} (${modern}); keep only ${form.kind}`,
          });
        }
      }
    }
    return findings;
  },
};
