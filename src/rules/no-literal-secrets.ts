import { SECRET_NAME, secretShapeIn } from '../models/secret-patterns.js';
import type { Rule, RuleFinding } from './rule.js';
import { clusterPatches } from './cluster-patches.js';

/**
 * Patch documents carry no literal credentials: a key named like a secret (password, token, secret...) must not
 * hold a written-out value, and no string may have a secret's shape, e.g. an `API_KEY=…` entry in an
 * `ExtensionServiceConfig` `environment` list (Talos passes those entries to the service as they are written).
 * Secrets reach Talos through Omni or an external secret store, never through the repo.
 */
export const noLiteralSecretsRule: Rule = {
  id: 'no-literal-secrets',
  severity: 'error',
  description: 'Talos patches carry no literal passwords, tokens or keys.',
  check(topology) {
    const findings: RuleFinding[] = [];
    const visit = (node: unknown, path: string): void => {
      const shape = typeof node === 'string' ? secretShapeIn(node) : undefined;
      if (shape) {
        findings.push({ path, message: `holds what looks like ${shape.what}; keep credentials out of patches` });
      } else if (Array.isArray(node)) node.forEach((item, index) => visit(item, `${path}.${index}`));
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (SECRET_NAME.test(key) && typeof value === 'string' && value.length > 0) {
            findings.push({
              path: `${path}.${key}`,
              message: `${key} holds a literal value; keep credentials out of patches`,
            });
          } else {
            visit(value, `${path}.${key}`);
          }
        }
      }
    };
    for (const { path, patch } of clusterPatches(topology)) {
      patch.documents.forEach((document, index) => visit(document, `${path}.documents.${index}`));
    }
    return findings;
  },
};
