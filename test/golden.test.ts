import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findStaleFiles } from '../src/generators/output-folder.js';
import { generate } from '../src/generators/generate.js';
import { EXAMPLES } from './fixtures.js';

describe.each(Object.entries(EXAMPLES))('examples/%s/out', (name, topology) => {
  it('is exactly what the generator produces today (run npm run examples after changing a generator)', async () => {
    const out = fileURLToPath(new URL(`../examples/${name}/out`, import.meta.url));
    const stale = await findStaleFiles(generate(topology), out);
    expect(stale.map((file) => file.diff).join('\n')).toBe('');
  });
});
