import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { TOPOLOGY_SCHEMA_URL, topologyJsonSchema } from './json-schema.js';

type JsonSchema = Record<string, unknown>;

/** Every property schema in the JSON Schema, with its path (`*` for a record's values, `[]` for array items). */
function properties(schema: JsonSchema, path = ''): { path: string; name: string; schema: JsonSchema }[] {
  const found: { path: string; name: string; schema: JsonSchema }[] = [];
  const visit = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    const json = node as JsonSchema;
    for (const [name, child] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      found.push({ path: `${at}.${name}`, name, schema: child });
      visit(child, `${at}.${name}`);
    }
    if (typeof json.additionalProperties === 'object') visit(json.additionalProperties, `${at}.*`);
    visit(json.items, `${at}[]`);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      for (const branch of (json[key] ?? []) as unknown[]) visit(branch, at);
    }
    visit(json.then, at);
  };
  visit(schema, path);
  return found;
}

// ajv 6 (draft-07, which has if/then) does not know the draft 2020-12 meta-schema URL; the keywords used are the same.
const ajv = new Ajv({ allErrors: true, validateSchema: false });
const validate = ajv.compile(topologyJsonSchema());

const lan = { network: 'lan', address: '192.168.3.10' };

describe('topology JSON Schema', () => {
  it('describes every property', () => {
    const all = properties(topologyJsonSchema());
    expect(all.length).toBeGreaterThan(150);
    expect(all.filter((property) => typeof property.schema.description !== 'string').map((p) => p.path)).toEqual([]);
  });

  it('names the unit of every size, memory and duration', () => {
    const all = properties(topologyJsonSchema());
    const unitOf = (name: string): RegExp | undefined =>
      ({
        memory: /MiB/,
        swap: /MiB/,
        size: /GiB|machines/,
        diskSize: /GiB/,
        ttl: /seconds/,
        backupInterval: /duration/,
      })[name];
    for (const { path, name, schema: property } of all) {
      const unit = unitOf(name);
      if (unit) expect(`${path}: ${String(property.description)}`).toMatch(unit);
    }
  });

  it('gives examples for formats that are not obvious', () => {
    const byPath = new Map(properties(topologyJsonSchema()).map((p) => [p.path, p.schema]));
    expect(byPath.get('.proxmox.*.networks.*.subnet')?.examples).toEqual(['192.168.3.0/24']);
    expect(byPath.get('.guests.*.vmid')?.examples).toEqual([101, 200]);
    expect(byPath.get('.providers.*.serviceAccountKey')?.examples).toEqual([{ env: 'TS_AUTHKEY' }]);
    expect((byPath.get('.guests.*.sshKeys')?.items as JsonSchema).examples).toEqual([
      expect.stringMatching(/^ssh-ed25519 AAAA/),
    ]);
    expect(byPath.get('.clusters.*.features.backupInterval')?.examples).toEqual(['6h', '30m']);
  });

  it('reports the missing field of an LXC guest against the LXC schema only', () => {
    const guest = { type: 'lxc', cluster: 'matrix', node: 'foxtrot', vmid: 200, cores: 2, memory: 2048, lan };
    validate({ guests: { 'ct-200': { ...guest, rootfs: { storage: 'local-lvm', size: 8 } } } });
    const guestErrors = (validate.errors ?? []).filter((error) => error.dataPath.startsWith(".guests['ct-200']"));
    expect(guestErrors.filter((error) => error.keyword === 'required').map((error) => error.params)).toEqual([
      { missingProperty: 'template' },
    ]);
    expect(guestErrors.every((error) => !error.schemaPath.includes('allOf/0'))).toBe(true);
  });

  it('reports the missing field of a VM against the VM schema only', () => {
    const guest = { type: 'qemu', cluster: 'quantum', node: 'lima', vmid: 101, cores: 2, memory: 2048, lan };
    validate({ guests: { holly: guest } });
    const guestErrors = (validate.errors ?? []).filter((error) => error.dataPath.startsWith(".guests['holly']"));
    expect(guestErrors.filter((error) => error.keyword === 'required').map((error) => error.params)).toEqual([
      { missingProperty: 'disk' },
    ]);
  });

  it('publishes its URL, pinned to the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(topologyJsonSchema().$id).toBe(TOPOLOGY_SCHEMA_URL);
    expect(TOPOLOGY_SCHEMA_URL).toBe(
      `https://cdn.jsdelivr.net/npm/@talos-sdk/topology@${version}/schema/topology.schema.json`,
    );
  });
});
