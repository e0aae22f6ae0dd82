import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOPOLOGY_SCHEMA_URL } from '../src/models/json-schema.js';
import { BUILT_CLI as CLI } from './built-cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const YAML_EXAMPLE = 'examples/spaceships/topology.yaml';

describe('the spaceships example as YAML', () => {
  it('generates exactly the artifacts topology.ts generates (the committed out/), with the built CLI', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const run = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'check', YAML_EXAMPLE, '--out', 'examples/spaceships/out'],
        { cwd: ROOT },
        (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err }),
      );
    });
    expect(run).toMatchObject({ code: 0 });
  });

  it('names the published schema of this version on its first line, for editors', () => {
    const [first] = readFileSync(`${ROOT}${YAML_EXAMPLE}`, 'utf8').split('\n');
    expect(first).toBe(`# yaml-language-server: $schema=${TOPOLOGY_SCHEMA_URL}`);
  });

  it('is the complete YAML topology the README shows, byte for byte', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(readFileSync(`${ROOT}${YAML_EXAMPLE}`, 'utf8'));
  });
});
