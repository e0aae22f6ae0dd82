/**
 * The CLI as a user runs it: the built bundle as a child process, in a project folder, with environment variables.
 */
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli, closedLoopbackPort } from './built-cli.js';

const EXAMPLE = '(built-in spaceships example)';
const API_KEY = 'emulated-unifi-api-key-0003';
const ESC = '\u001b[';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(async () => {
  await cli.remove();
});

/** Parses stdout as exactly one JSON value (anything else on stdout fails the parse). */
function json(out: string): Record<string, unknown> & { ok: boolean; error?: Record<string, unknown> } {
  return JSON.parse(out) as Record<string, unknown> & { ok: boolean; error?: Record<string, unknown> };
}

describe('topology file discovery and --example', () => {
  it('uses the one topology file of the working directory, never the built-in example', async () => {
    const project = await cli.project();
    expect(await cli.run(['init'], { cwd: project })).toMatchObject({ code: 0 });
    const validated = await cli.run(['validate'], { cwd: project });
    expect(validated).toMatchObject({ code: 0, out: 'topology.yaml: valid (1 warning)\n' });
    expect(`${validated.out}${validated.err}`).not.toContain('spaceships');
    const generated = await cli.run(['generate'], { cwd: project });
    expect(generated.code).toBe(0);
    expect(generated.out).toMatch(/^topology\.yaml: \d+ artifacts in out /);
    expect(await readFile(join(project, 'out', 'manifest.json'), 'utf8')).toContain('"topology": "homelab"');
    expect(await cli.run(['check'], { cwd: project })).toMatchObject({
      code: 0,
      out: 'topology.yaml: out is up to date\n',
    });
  });

  it('refuses several topology files, naming them, and none, saying what to do', async () => {
    const project = await cli.project();
    await writeFile(join(project, 'topology.yaml'), 'name: a\n');
    await writeFile(join(project, 'topology.json'), '{}');
    expect(await cli.run(['validate'], { cwd: project })).toEqual({
      code: 1,
      out: '',
      err:
        'talos-topology: several topology files here (topology.yaml, topology.json); name the one to use\n' +
        'run talos-topology validate --help for its options\n',
    });
    const empty = await cli.project();
    const none = await cli.run(['generate'], { cwd: empty });
    expect(none.code).toBe(1);
    expect(none.err).toMatch(
      /^talos-topology: no topology file here .*: pass a file, run talos-topology init, or use --example\n/,
    );
    expect(await readdir(empty)).toEqual([]);
  });

  it('says on every line that --example is the built-in example, in text and in JSON', async () => {
    const project = await cli.project();
    const validated = await cli.run(['validate', '--example'], { cwd: project });
    expect(validated.code).toBe(0);
    const lines = `${validated.out}${validated.err}`.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.startsWith(`${EXAMPLE}: `), line).toBe(true);
    const generated = await cli.run(['generate', '--example', '--out', 'out', '--json'], { cwd: project });
    expect(json(generated.out)).toMatchObject({ ok: true, example: true, source: EXAMPLE });
    for (const issue of json(generated.out)['warnings'] as { path: string }[]) expect(issue.path).toBeTruthy();
    await writeFile(join(project, 'a-file'), '');
    expect(await cli.run(['generate', '--example', '--out', 'a-file'], { cwd: project })).toMatchObject({
      code: 1,
      err: `talos-topology: ${EXAMPLE}: a-file: is not a folder\n`,
    });
    const checked = await cli.run(['check', '--example', '--out', 'out'], { cwd: project });
    expect(checked).toMatchObject({ code: 0, out: `${EXAMPLE}: out is up to date\n` });
    expect(json((await cli.run(['validate', '--example', 'x.yaml', '--json'])).out)).toMatchObject({
      ok: false,
      example: true,
      error: { kind: 'usage', message: 'give a topology file or --example, not both' },
    });
  });
});

describe('help', () => {
  it('prints the commands with help, and one command’s usage and options with help <command> or --help', async () => {
    const general = await cli.run(['help']);
    expect(general.code).toBe(0);
    expect(general.out).toMatch(/^usage: talos-topology <command>/);
    for (const command of ['validate', 'generate', 'check', 'init', 'example', 'plan', 'apply', 'status']) {
      expect(general.out).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const byHelp = await cli.run(['help', 'generate']);
    const byFlag = await cli.run(['generate', '--help']);
    expect(byFlag).toEqual(byHelp);
    expect(byFlag.out).toMatch(/^usage: talos-topology generate \[topology-file \| --example\] \[--out DIR\]/);
    expect(byFlag.out).toContain('--force');
    expect(byFlag.out).not.toContain('--target');
    expect((await cli.run(['apply', '-h'])).out).toContain('--skip-root-only');
  });

  it('answers a usage error with one line and the hint, never the whole help', async () => {
    expect(await cli.run(['status', '--cluster', 'talos-matrix'])).toEqual({
      code: 1,
      out: '',
      err: 'talos-topology: status needs --cluster NAME --wait\nrun talos-topology status --help for its options\n',
    });
    expect((await cli.run(['generate', '--target', 'omni'])).err).toBe(
      'talos-topology: generate does not take --target\nrun talos-topology generate --help for its options\n',
    );
    expect((await cli.run(['help', 'genrate'])).err).toMatch(
      /^talos-topology: unknown command "genrate"; did you mean "generate"\?\n/,
    );
    expect((await cli.run(['apply', '--target', 'unifi', '--skip-rot-only'])).err).toMatch(
      /^talos-topology: unknown option --skip-rot-only; did you mean --skip-root-only\?\n/,
    );
  });
});

describe('colour', () => {
  let unifi: UnifiEmulator;
  let project: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    unifi = await startUnifiEmulator({ apiKey: API_KEY });
    project = await cli.project();
    expect((await cli.run(['generate', '--example'], { cwd: project })).code).toBe(0);
    env = { UNIFI_URL: unifi.url, UNIFI_API_KEY: API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
  });
  afterAll(async () => {
    await unifi.close();
  });

  const plan = async (variables: Record<string, string>, ...flags: string[]): Promise<string> => {
    const result = await cli.run(['plan', '--detailed-exitcode', '--target', 'unifi', ...flags], {
      cwd: project,
      env: { ...env, ...variables },
    });
    expect(result.code, result.err).toBe(2);
    expect(result.out).toContain('omni.spaceships.work');
    return result.out;
  };

  it('is off without a terminal, on with FORCE_COLOR 1/2/3/true/empty, off with FORCE_COLOR=0 or --no-color', async () => {
    expect(await plan({})).not.toContain(ESC);
    expect(await plan({ NO_COLOR: '1' })).not.toContain(ESC);
    for (const force of ['1', '2', '3', 'true', '']) expect(await plan({ FORCE_COLOR: force })).toContain(ESC);
    // Node: a supported FORCE_COLOR value makes NO_COLOR ignored; any other value disables colour.
    expect(await plan({ FORCE_COLOR: '1', NO_COLOR: '1' })).toContain(ESC);
    expect(await plan({ FORCE_COLOR: '0' })).not.toContain(ESC);
    expect(await plan({ FORCE_COLOR: 'false' })).not.toContain(ESC);
    expect(await plan({ FORCE_COLOR: '1' }, '--no-color')).not.toContain(ESC);
  });
});

describe('--json', () => {
  it('prints successes as { ok: true, ... } and nothing else on stdout', async () => {
    const validated = await cli.run(['validate', '--example', '--json']);
    expect(json(validated.out)).toMatchObject({ ok: true, source: EXAMPLE, example: true, issues: expect.any(Array) });
    expect(json((await cli.run(['--version', '--json'])).out)).toEqual({ ok: true, version: expect.any(String) });
    expect(json((await cli.run(['help', 'plan', '--json'])).out)).toMatchObject({ ok: true, help: expect.any(String) });
    expect(json((await cli.run(['schema', '--json'])).out)).toMatchObject({ ok: true, schema: { type: 'object' } });
  });

  it('prints every failure as { ok: false, error: { kind, message, ... } } on stdout, exit 1', async () => {
    const project = await cli.project();
    await writeFile(join(project, 'bad.yaml'), 'name: Bad_Name\n');
    await writeFile(join(project, 'broken.yaml'), 'name: [unclosed\n');
    const failures: [string[], Record<string, unknown>][] = [
      [['validate', '--bogus'], { kind: 'usage', message: 'unknown option --bogus' }],
      [['frobnicate'], { kind: 'usage', message: 'unknown command "frobnicate"' }],
      [['validate'], { kind: 'usage', message: expect.stringContaining('no topology file here') }],
      [
        ['validate', 'bad.yaml'],
        {
          kind: 'topology',
          source: 'bad.yaml',
          issues: expect.arrayContaining([expect.objectContaining({ path: 'name', rule: 'format' })]),
        },
      ],
      [
        ['generate', 'broken.yaml'],
        { kind: 'topology', source: 'broken.yaml', issues: [expect.objectContaining({ rule: 'yaml' })] },
      ],
      [
        ['check', 'missing.yaml'],
        {
          kind: 'topology',
          message: 'missing.yaml: (topology): file: cannot be read (ENOENT)',
          issues: [expect.objectContaining({ rule: 'file' })],
        },
      ],
      [
        ['plan', '--target', 'unifi', '--out', 'none'],
        { kind: 'artifacts', message: expect.stringContaining('manifest.json') },
      ],
      [['plan', '--target', 'aws'], { kind: 'usage', message: expect.stringContaining('unknown target "aws"') }],
    ];
    for (const [argv, error] of failures) {
      const result = await cli.run([...argv, '--json'], { cwd: project });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err, argv.join(' ')).toBe('');
      expect(json(result.out), argv.join(' ')).toEqual({ ok: false, error: expect.objectContaining(error) });
    }
  });

  it('reports a connection failure as kind connection, with the client warnings on stderr only', async () => {
    const port = await closedLoopbackPort();
    const project = await cli.project();
    expect((await cli.run(['generate', '--example'], { cwd: project })).code).toBe(0);
    const result = await cli.run(['plan', '--target', 'unifi', '--json'], {
      cwd: project,
      env: { UNIFI_URL: `https://127.0.0.1:${port}`, UNIFI_API_KEY: API_KEY, UNIFI_INSECURE_SKIP_VERIFY: '1' },
    });
    expect(result.code).toBe(1);
    expect(json(result.out)).toEqual({ ok: false, error: { kind: 'connection', message: expect.any(String) } });
    expect(result.err).toMatch(/^warning: /);
    expect(result.out).not.toContain(API_KEY);
  }, 60_000);
});

describe('init and example', () => {
  for (const format of ['--yaml', '--ts'] as const) {
    it(`init ${format} writes a starter that validates and generates as written, and is not overwritten without --force`, async () => {
      const project = await cli.project();
      const file = format === '--ts' ? 'topology.ts' : 'topology.yaml';
      expect(await cli.run(['init', format], { cwd: project })).toMatchObject({
        code: 0,
        out: expect.stringContaining(`wrote ${file}`),
      });
      const text = await readFile(join(project, file), 'utf8');
      if (format === '--yaml') {
        expect(text).toMatch(
          /^# yaml-language-server: \$schema=\.\/node_modules\/@talos-sdk\/topology\/schema\/topology\.schema\.json\n/,
        );
      } else expect(text).toContain("import { defineTopology } from '@talos-sdk/topology';");
      const validated = await cli.run(['validate'], { cwd: project });
      expect(validated, validated.err).toMatchObject({ code: 0, out: `${file}: valid (1 warning)\n` });
      expect((await cli.run(['generate'], { cwd: project })).code).toBe(0);
      await writeFile(join(project, file), 'mine\n');
      expect(await cli.run(['init', format], { cwd: project })).toMatchObject({
        code: 1,
        err: expect.stringContaining(`${file} already exists; pass --force to overwrite it`),
      });
      expect(await readFile(join(project, file), 'utf8')).toBe('mine\n');
      expect((await cli.run(['init', format, '--force'], { cwd: project })).code).toBe(0);
      expect(await readFile(join(project, file), 'utf8')).toBe(text);
      expect((await cli.run(['init', 'topology.json', format], { cwd: project })).err).toMatch(
        /^talos-topology: init writes a \.yaml, \.yml or \.ts topology/,
      );
    });
  }

  it('both starters describe the same topology', async () => {
    const project = await cli.project();
    await cli.run(['init', '--yaml'], { cwd: project });
    await cli.run(['init', '--ts'], { cwd: project });
    const yaml = await cli.run(['generate', 'topology.yaml', '--out', 'from-yaml'], { cwd: project });
    const ts = await cli.run(['generate', 'topology.ts', '--out', 'from-ts'], { cwd: project });
    expect([yaml.code, ts.code]).toEqual([0, 0]);
    expect(await cli.run(['check', 'topology.ts', '--out', 'from-yaml'], { cwd: project })).toMatchObject({ code: 0 });
  });

  it('example prints the built-in example as YAML that generates the same artifacts as --example', async () => {
    const project = await cli.project();
    const printed = await cli.run(['example']);
    expect(printed.code).toBe(0);
    await writeFile(join(project, 'spaceships.yaml'), printed.out);
    expect((await cli.run(['validate', 'spaceships.yaml'], { cwd: project })).code).toBe(0);
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    expect(await cli.run(['check', 'spaceships.yaml', '--out', 'out'], { cwd: project })).toMatchObject({
      code: 0,
      out: 'spaceships.yaml: out is up to date\n',
    });
  });
});

describe('standard output and error', () => {
  /** Runs the CLI with its standard output's reader closed before the CLI writes anything. */
  function runWithReaderGone(argv: readonly string[]): Promise<{ code: number | null; err: string }> {
    const child = spawn(process.execPath, [join(cli.root, 'dist', 'cli', 'main.cjs'), ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, err })));
  }

  it('stops quietly when the reader goes away (EPIPE, as after `| head`): exit 0 and no stack trace', async () => {
    expect(await runWithReaderGone(['example'])).toEqual({ code: 0, err: '' });
  });

  it('keeps the order of what it prints to both when they share one pipe (2>&1)', async () => {
    const main = join(cli.root, 'dist', 'cli', 'main.cjs');
    const merged = await new Promise<string>((resolve, reject) => {
      const shell = spawn('/bin/sh', ['-c', `"$0" "$1" validate --example 2>&1`, process.execPath, main], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      shell.on('error', reject);
      shell.on('close', () => resolve(out));
    });
    const lines = merged.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).every((line) => line.includes(': warning: '))).toBe(true);
    expect(lines[2]).toBe(`${EXAMPLE}: valid (2 warnings)`);
  });
});

describe('--target auth0', () => {
  it('plans (exit 2), applies and plans nothing against an emulated tenant, printing no secret or token', async () => {
    const { startAuth0Emulator } = await import('../src/testing/auth0/index.js');
    const { writeArtifacts } = await import('../src/generators/output-folder.js');
    const { AUTH0_SCOPES, auth0ArtifactSet } = await import('./auth0-fixtures.js');
    const auth0 = await startAuth0Emulator();
    try {
      const clientId = auth0.addApplication({ name: 'Omni', web_origins: ['http://localhost:3000'] })['client_id'];
      const { clientId: id, clientSecret } = auth0.addM2mApplication(AUTH0_SCOPES);
      auth0.addUser({ email: 'admin@spaceships.work' });
      const project = await cli.project();
      await writeArtifacts(auth0ArtifactSet(auth0, clientId as string), join(project, 'out'));
      const env = {
        AUTH0_DOMAIN: auth0.domain,
        AUTH0_CLIENT_ID: id,
        AUTH0_CLIENT_SECRET: clientSecret,
        AUTH0_FINGERPRINT: auth0.fingerprint256,
      };
      const plan = await cli.run(['plan', '--detailed-exitcode', '--target', 'auth0', '--no-color'], {
        cwd: project,
        env,
      });
      expect(plan.code, plan.err).toBe(2);
      expect(plan.out).toContain('web_origins: ["http://localhost:3000"] -> ["http://localhost:3000","https://omni');
      const apply = await cli.run(['apply', '--yes', '--target', 'auth0', '--json'], { cwd: project, env });
      expect(apply.code, apply.err).toBe(0);
      const again = await cli.run(['plan', '--target', 'auth0', '--json'], { cwd: project, env });
      expect(again.code).toBe(0);
      expect(json(again.out)['summary']).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 1 });
      const printed = [plan, apply, again].map((result) => `${result.out}${result.err}`).join('');
      for (const secret of [clientSecret, ...auth0.state.tokens.keys()]) expect(printed).not.toContain(secret);
    } finally {
      await auth0.close();
    }
  });
});
