import type { Rule, RuleFinding } from './rule.js';
import { clusterPatches } from './cluster-patches.js';
import { documentIdentity } from './talos-facts.js';

/** Talos refuses a patch that holds the same document (apiVersion, kind, name) twice. */
export const patchDuplicateDocumentRule: Rule = {
  id: 'patch-duplicate-document',
  severity: 'error',
  description: 'A patch holds each Talos document (apiVersion, kind, name) at most once.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const { path, patch } of clusterPatches(topology)) {
      const seen = new Map<string, number>();
      patch.documents.forEach((document, index) => {
        const identity = documentIdentity(document);
        const first = seen.get(identity);
        if (first === undefined) seen.set(identity, index);
        else
          findings.push({
            path: `${path}.documents.${index}`,
            message: `duplicate document ${identity} (first at ${path}.documents.${first}); merge them`,
          });
      });
    }
    return findings;
  },
};
