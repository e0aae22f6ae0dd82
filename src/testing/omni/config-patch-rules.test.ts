import { describe, expect, it } from 'vitest';
import { configPatchProblem } from './config-patch-rules.js';

describe('configPatchProblem', () => {
  it('accepts strategic merge patches, multi-document ones and $patch: delete', () => {
    expect(configPatchProblem('machine:\n  network:\n    nameservers: [1.1.1.1]\n')).toBeUndefined();
    expect(
      configPatchProblem('apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers: []\n---\nmachine:\n  sysctls: {}\n'),
    ).toBeUndefined();
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: SideroLinkConfig\n$patch: delete\n')).toBeUndefined();
  });

  it('rejects JSON6902 operation lists', () => {
    expect(configPatchProblem('- op: add\n  path: /machine/network\n  value: {}\n')).toMatch(/JSON6902/);
  });

  it('rejects forbidden fields, even as deletes', () => {
    expect(configPatchProblem('cluster:\n  clusterName: x\n')).toMatch(/cluster.clusterName/);
    expect(configPatchProblem('machine:\n  install:\n    disk:\n      $patch: delete\n')).toMatch(
      /machine.install.disk/,
    );
  });

  it('rejects forbidden documents and the os:admin role', () => {
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: KubeClusterConfig\n')).toMatch(/KubeClusterConfig/);
    expect(
      configPatchProblem('machine:\n  features:\n    kubernetesTalosAPIAccess:\n      allowedRoles: [os:admin]\n'),
    ).toMatch(/os:admin/);
  });

  it('checks every document with the rules of its kind, in the words Omni uses', () => {
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: ResolverConfig\n---\ncluster:\n  ca: {}\n')).toBe(
      'overriding "cluster.ca" is not allowed in the config patch',
    );
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: KubeServiceAccountConfig\nissuer:\n  privateKey: x\n')).toBe(
      'overriding "issuer.privateKey" is not allowed in the config patch',
    );
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: KubeTalosAPIAccessConfig\nallowedRoles: [os:admin]\n')).toBe(
      'element "os:admin" is not allowed in field "allowedRoles"',
    );
    // A kind document is held to its own kind's rules, not to the legacy document's.
    expect(configPatchProblem('apiVersion: v1alpha1\nkind: ResolverConfig\nmachine:\n  token: x\n')).toBeUndefined();
  });
});
