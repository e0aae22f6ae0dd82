import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import { runBuiltCli } from './built-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-positions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The 1-based line and column of the first `needle` at or after `from` in `text`. */
function where(text: string, needle: string, from = ''): string {
  const offset = text.indexOf(needle, from ? text.indexOf(from) : 0);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/** The example with holly's VMID mistyped, its address outside its subnet and its memory left out. */
function brokenHolly(): Record<string, unknown> {
  const input = structuredClone(spaceships) as unknown as { guests: Record<string, Record<string, unknown>> };
  const holly = input.guests['holly']!;
  holly['vmid'] = 'one hundred';
  delete holly['memory'];
  return input;
}

describe('issue positions in YAML and JSON topologies (built CLI)', () => {
  it('puts the line and column of each path in front of schema issues, and of the nearest ancestor for a default', async () => {
    const text = dump(brokenHolly());
    const file = join(dir, 'topology.yaml');
    await writeFile(file, text);
    const result = await runBuiltCli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:${where(text, 'vmid:', '    holly:')}: guests.holly.vmid: `);
    // memory is not in the file: the issue points at holly, the object it belongs in.
    expect(result.err).toContain(`${file}:${where(text, 'holly:', 'guests:')}: guests.holly.memory: required: `);
  });

  it('locates rule issues (references and cross-system rules) in a JSON file', async () => {
    const input = structuredClone(spaceships) as unknown as { guests: Record<string, { lan: { address: string } }> };
    input.guests['holly']!.lan.address = '192.168.9.20';
    const text = JSON.stringify(input, null, 2);
    const file = join(dir, 'topology.json');
    await writeFile(file, text);
    const result = await runBuiltCli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(`${file}:${where(text, '"address"', '"holly"')}: guests\\.holly\\.lan\\.address: [a-z-]+: `),
    );
    const json = await runBuiltCli(['validate', file, '--json']);
    const { issues } = (JSON.parse(json.out) as { error: { issues: { path: string; line: number; column: number }[] } })
      .error;
    const address = issues.find((issue) => issue.path === 'guests.holly.lan.address');
    expect(`${address?.line}:${address?.column}`).toBe(where(text, '"address"', '"holly"'));
  });

  it('points a YAML syntax error at the line where an unclosed string opened', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'name: spaceships\nguests:\n  holly:\n    note: "unclosed\n    vmid: 101\n');
    const result = await runBuiltCli(['validate', file]);
    expect(result).toMatchObject({ code: 1 });
    expect(result.err).toMatch(new RegExp(`^${file}:4:11: \\(topology\\): yaml: is not valid YAML: `));
  });
});
