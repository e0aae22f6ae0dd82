import { describe, expect, it } from 'vitest';
import { validateJsonSchema } from './json-schema.js';

const schema = {
  type: 'object',
  required: ['cores'],
  additionalProperties: false,
  properties: {
    cores: { type: 'integer', minimum: 1 },
    cache: { type: 'string', enum: ['none', 'writeback'] },
    nics: { type: 'array', items: { type: 'object', required: ['bridge'] } },
  },
} as const;

describe('validateJsonSchema', () => {
  it('accepts a valid value', () => {
    expect(validateJsonSchema(schema, { cores: 2, cache: 'none', nics: [{ bridge: 'vmbr0' }] })).toEqual([]);
  });

  it('reports every keyword it knows, with a pointer', () => {
    expect(validateJsonSchema(schema, { cores: 0, cache: 'fast', nics: [{}], diskSize: 5 })).toEqual([
      '/cores: must be >= 1',
      '/cache: must be one of "none", "writeback"',
      '/nics/0: missing required property "bridge"',
      '/diskSize: unknown property',
    ]);
    expect(validateJsonSchema(schema, { cores: 1.5 })).toEqual(['/cores: must be integer']);
    expect(validateJsonSchema(schema, [])).toEqual(['/: must be object']);
  });
});
