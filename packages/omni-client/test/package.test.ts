import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('@talos-sdk/omni-client as a workspace package', () => {
  it('resolves from the repository root to packages/omni-client through the workspace link', () => {
    const resolved = createRequire(`${root}package.json`).resolve('@talos-sdk/omni-client/package.json');
    expect(realpathSync(resolved)).toBe(`${realpathSync(packageDir)}/package.json`);
  });

  it('has the version of @talos-sdk/topology, which depends on it with a range that version satisfies', () => {
    const topology = json(`${root}package.json`) as { version: string; dependencies: Record<string, string> };
    const omniClient = json(`${packageDir}package.json`) as { version: string };
    expect(omniClient.version).toBe(topology.version);
    expect(topology.dependencies['@talos-sdk/omni-client']).toBe(`^${topology.version}`);
  });

  it('exposes client creation, the request signer and the typed errors by its package name', async () => {
    const api = await import('@talos-sdk/omni-client');
    for (const name of [
      'createOmniClient',
      'OmniClient',
      'createRequestSigner',
      'signingInterceptor',
      'parseServiceAccountKey',
      'OmniError',
      'OmniNotFoundError',
      'OmniUnauthenticatedError',
      'toOmniError',
      'waitForResources',
    ] as const) {
      expect(typeof api[name], name).toBe('function');
    }
    const notFound = new api.OmniNotFoundError({ grpcCode: 5, details: 'gone', request: { method: 'Get', id: 'x' } });
    expect(notFound).toBeInstanceOf(api.OmniError);
    expect(notFound.message).toBe('Get: not-found: gone');
    expect(api.omniKinds.MachineClass.type).toBe('MachineClasses.omni.sidero.dev');
  });

  it('is re-exported whole, the same objects, by @talos-sdk/topology/omni-client next to the topology API', async () => {
    const api: Record<string, unknown> = await import('@talos-sdk/omni-client');
    const topology: Record<string, unknown> = await import('../../../src/clients/omni/index.js');
    for (const [name, value] of Object.entries(api)) expect(topology[name], name).toBe(value);
    for (const name of [
      'planOmni',
      'applyOmni',
      'desiredOmniState',
      'waitForInfraProviders',
      'MANAGED_BY_ANNOTATION',
    ]) {
      expect(topology[name], name).toBeDefined();
      expect(api[name], name).toBeUndefined();
    }
  });
});
