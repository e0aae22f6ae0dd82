import { repeats } from '../models/repeats.js';
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
      for (const { item, index, first } of repeats(patch.documents, documentIdentity)) {
        findings.push({
          path: `${path}.documents.${index}`,
          message: `duplicate document ${documentIdentity(item)} (first at ${path}.documents.${first}); merge them`,
        });
      }
    }
    return findings;
  },
};
