import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topologyDocumentSource } from '../../scripts/topology-document.js';
import type * as z from './zod.js';
import type { TopologyDocument } from './topology-document.js';
import type { topologySchema } from './topology.js';

/** Compiles only when every documented topology is one the schema's input type accepts. */
type Accepted<T extends z.input<ReturnType<typeof topologySchema>>> = T;
export type DocumentIsSchemaInput = Accepted<TopologyDocument>;

describe('TopologyDocument', () => {
  it('is generated from the current JSON Schema (node --import tsx scripts/topology-document.ts)', async () => {
    const committed = readFileSync(new URL('./topology-document.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await topologyDocumentSource());
  });

  it('carries every field description into the type (and so into the .d.ts)', () => {
    const text = readFileSync(new URL('./topology-document.ts', import.meta.url), 'utf8');
    expect(text).toContain('* Memory in MiB (2048 = 2 GiB).');
    expect(text).toContain('* Size in GiB.');
    expect(text).toContain('@example {"env":"TS_AUTHKEY"}');
  });
});
