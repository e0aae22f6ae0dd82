import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';
import spaceships from '../examples/spaceships/topology.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<CliResult> {
  return runCliWith({}, ...argv);
}

/** The example's warnings: its provider image has no release tag, and it skips TLS verification towards Proxmox. */
const EXAMPLE_WARNINGS = [
  'providers.proxmox.version: warning: image-pinned: ',
  'providers.proxmox.proxmoxAccess.insecureSkipVerify: warning: provider-tls-verify: ',
];

/** Matches stderr that reports every example warning for `source`, each on a line of its own, in any order. */
/** The example's warnings as the CLI prints them; `located` when it names a line and column (a YAML or JSON file). */
function exampleWarnings(source: string, located = false): string {
  const at = located ? ':\\d+:\\d+' : '';
  const lines = EXAMPLE_WARNINGS.map(
    (warning) => `(?=(?:^|[\\s\\S]*\\n)${escapeRegExp(source)}${at}${escapeRegExp(`: ${warning}`)})`,
  );
  return expect.stringMatching(new RegExp(`^${lines.join('')}`)) as string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('talos-topology', () => {
  it('validates the built-in example', async () => {
    expect(await cli('validate', '--example')).toEqual({
      code: 0,
      out: '(built-in spaceships example): valid (2 warnings)\n',
      err: exampleWarnings('(built-in spaceships example)'),
    });
  });

  it('generates, then check passes; a stale file gives exit 2 and a unified diff', async () => {
    const out = join(dir, 'out');
    expect((await cli('generate', '--example', '--out', out)).code).toBe(0);
    expect(await cli('check', '--example', '--out', out)).toMatchObject({ code: 0 });
    await writeFile(join(out, 'unifi/dns-records.json'), '{}\n');
    const stale = await cli('check', '--example', '--out', out);
    expect(stale.code).toBe(2);
    expect(stale.out).toContain('--- a/unifi/dns-records.json');
    expect(stale.out).toContain('+  "zone": "spaceships.work"');
    expect(stale.err).toContain('1 file differs');
  });

  it('reports bad YAML input as file: path: rule: message with exit 1 and no stack trace', async () => {
    const file = join(dir, 'topology.yaml');
    await writeFile(file, 'name: Bad_Name\ntailnet: {magicDnsSuffix: x.ts.net}\n');
    const result = await cli('validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:1:1: name: format: must be lower-case letters`);
    expect(result.err).toContain(`${file}: omni: required: is required`);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('reports unparsable YAML and JSON with the file name', async () => {
    const yaml = join(dir, 'broken.yaml');
    await writeFile(yaml, 'name: [unclosed\n');
    expect((await cli('validate', yaml)).err).toMatch(
      new RegExp(`^${yaml}:1:7: \\(topology\\): yaml: is not valid YAML`),
    );
    const json = join(dir, 'broken.json');
    await writeFile(json, '{');
    expect((await cli('validate', json)).err).toContain(`${json}:1:2: (topology): json: is not valid JSON`);
    expect((await cli('validate', join(dir, 'missing.yaml'))).err).toContain('file: cannot be read (ENOENT)');
  });

  it('loads a YAML topology, with the schema comment editors use', async () => {
    const file = join(dir, 'topology.yaml');
    const schemaComment =
      '# yaml-language-server: $schema=./node_modules/@talos-sdk/topology/schema/topology.schema.json\n';
    await writeFile(file, `${schemaComment}${dump(structuredClone(spaceships))}`);
    expect(await cli('validate', file)).toEqual({
      code: 0,
      out: `${file}: valid (2 warnings)\n`,
      err: exampleWarnings(file, true),
    });
  });

  it('loads a JSON topology and prints machine-readable results', async () => {
    const file = join(dir, 'topology.json');
    await writeFile(file, JSON.stringify(spaceships));
    const result = await cli('validate', file, '--json');
    expect(JSON.parse(result.out)).toEqual({
      ok: true,
      source: file,
      issues: [
        expect.objectContaining({ rule: 'provider-tls-verify', severity: 'warning' }),
        expect.objectContaining({ path: 'providers.proxmox.version', rule: 'image-pinned', severity: 'warning' }),
      ],
    });
  });

  it('loads a TypeScript topology through the TS loader', async () => {
    const file = join(dir, 'topology.ts');
    await writeFile(
      file,
      `const topology: Record<string, unknown> = ${JSON.stringify(spaceships)};\nexport default topology;\n`,
    );
    const loaded = await cli('validate', file);
    expect(loaded).toMatchObject({ code: 0, out: `${file}: valid (2 warnings)\n`, err: exampleWarnings(file) });
    await writeFile(file, 'export const nothing = 1;\n');
    expect((await cli('validate', file)).err).toContain(`${file}: (topology): module: has no default export`);
  });

  it('refuses generation when a rule fails, naming the rule', async () => {
    const input = structuredClone(spaceships) as unknown as { routes: unknown[] };
    input.routes = [{ name: 'quantum-to-matrix', network: '192.168.3.0/24', nexthop: '192.168.10.1' }];
    const file = join(dir, 'topology.json');
    const text = JSON.stringify(input);
    await writeFile(file, text);
    const result = await cli('generate', file, '--out', join(dir, 'out'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `${file}:1:${text.indexOf('"nexthop"') + 1}: routes.0.nexthop: route-nexthop: 192.168.10.1 is the UniFi gateway's own address on unifi.networks.quantum`,
    );
    await expect(readFile(join(dir, 'out', 'manifest.json'))).rejects.toThrow();
  });

  it('prints the JSON schema and usage', async () => {
    const schema = JSON.parse((await cli('schema')).out) as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toContain('2020-12');
    expect(Object.keys(schema.properties)).toContain('omni');
    expect((await cli('--help')).out).toContain('usage: talos-topology');
    expect(await cli('frobnicate')).toMatchObject({
      code: 1,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
  });

  it('prints its version, help by command, and one-line usage errors with a hint', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect((await cli('-v')).out).toBe(`${version}\n`);
    expect((await cli('help')).out).toContain('usage: talos-topology');
    expect(await cli('genrate')).toEqual({
      code: 1,
      out: '',
      err: 'talos-topology: unknown command "genrate"; did you mean "generate"?\nrun talos-topology --help for the commands and options\n',
    });
    expect((await cli('generate', '--outt', 'x')).err).toMatch(
      /^talos-topology: unknown option --outt; did you mean --out\?\n/,
    );
  });

  it('refuses an empty --out instead of writing into the current folder', async () => {
    const result = await cli('generate', '--example', '--out', '');
    expect(result).toMatchObject({ code: 1, err: expect.stringContaining('--out needs a folder path') });
    expect(result.out).toBe('');
  });

  it('refuses an unknown --skip-rule id, listing the rules', async () => {
    const result = await cli('validate', '--example', '--skip-rule', 'l2-adjacenc');
    expect(result.code).toBe(1);
    expect(result.err).toContain('--skip-rule: no rule l2-adjacenc (rules: ');
    expect(result.err).toContain('l2-adjacency');
    expect((await cli('validate', '--example', '--skip-rule', 'l2-adjacency')).code).toBe(0);
  });
});
