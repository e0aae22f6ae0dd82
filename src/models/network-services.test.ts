import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology, safeDefineTopology } from './define.js';
import { topologyJsonSchema } from './json-schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

describe('unifi.networks: the networks the UniFi gateway serves', () => {
  it("keeps the seed's two LANs with the gateway's own address on each", () => {
    expect(defineTopology(spaceshipsInput()).unifi.networks).toEqual({
      matrix: { subnet: '192.168.3.0/24', gateway: '192.168.3.1' },
      quantum: { subnet: '192.168.10.0/24', gateway: '192.168.10.1' },
    });
  });

  it('defaults to none', () => {
    const input = spaceshipsInput() as Loose;
    delete input.unifi;
    expect(defineTopology(input).unifi).toEqual({ site: 'default', networks: {} });
  });

  it('refuses a subnet or gateway that is not one, and unknown keys, naming the path', () => {
    const input = spaceshipsInput() as Loose;
    input.unifi.networks.matrix = { subnet: '192.168.3.1', gateway: '192.168.3.1/24', vlan: 3 };
    const result = safeDefineTopology(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map(({ path, rule }) => [path, rule])).toEqual([
      ['unifi.networks.matrix', 'unknown-key'],
      ['unifi.networks.matrix.gateway', 'format'],
      ['unifi.networks.matrix.subnet', 'format'],
    ]);
  });

  it('offers the field to YAML authors through the JSON schema', () => {
    const networks = (topologyJsonSchema() as Loose).properties.unifi.properties.networks;
    expect(networks.additionalProperties).toMatchObject({
      required: ['subnet', 'gateway'],
      additionalProperties: false,
    });
  });
});
