import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';
import { sha256Hex } from '../src/generators/artifact.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the manifest freely
type Loose = any;

let base: string;
let out: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'talos-topology-folder-'));
  out = join(base, 'out');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<CliResult> {
  return runCliWith({}, ...argv);
}

/** What a failed run said: stderr, or with --json the error message on stdout (stderr stays empty then). */
function failureText(result: CliResult): string {
  if (!result.out.startsWith('{')) return result.err;
  expect(result.err).toBe('');
  return (JSON.parse(result.out) as { error: { message: string } }).error.message;
}

/** Adds an entry to the generated manifest, as a hostile pull request could. */
async function addManifestEntry(entry: Record<string, string>): Promise<void> {
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Loose;
  manifest.artifacts.push(entry);
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest));
}

describe('talos-topology with a hostile output folder (CI checks out out/ from a pull request)', () => {
  const modes = [
    { mode: 'text', flags: [] },
    { mode: '--json', flags: ['--json'] },
  ];

  it.each(modes)(
    'check ($mode) refuses a manifest naming /proc/self/environ and prints none of the environment',
    async ({ flags }) => {
      process.env['I8_CANARY'] = 'canary-value-of-the-ci-job';
      try {
        expect((await cli('generate', '--example', '--out', out)).code).toBe(0);
        await addManifestEntry({ path: '../../../../proc/self/environ', kind: 'compose', sha256: '0'.repeat(64) });
        const result = await cli('check', '--example', '--out', out, ...flags);
        expect(result.code).toBe(1);
        expect(failureText(result)).toContain('manifest.json: artifacts[');
        expect(failureText(result)).toContain('"../../../../proc/self/environ") path has a "." or ".." segment');
        expect(`${result.out}${result.err}`).not.toContain('canary-value');
      } finally {
        delete process.env['I8_CANARY'];
      }
    },
  );

  it.each(modes)(
    'generate ($mode) refuses a manifest naming ../victim.txt with its hash and deletes nothing',
    async ({ flags }) => {
      expect((await cli('generate', '--example', '--out', out)).code).toBe(0);
      await writeFile(join(base, 'victim.txt'), 'precious\n');
      await addManifestEntry({ path: '../victim.txt', kind: 'compose', sha256: sha256Hex('precious\n') });
      const result = await cli('generate', '--example', '--out', out, ...flags);
      expect(result.code).toBe(1);
      expect(failureText(result)).toContain('"../victim.txt") path has a "." or ".." segment');
      expect(result.out).not.toContain('removed');
      expect(await readFile(join(base, 'victim.txt'), 'utf8')).toBe('precious\n');
    },
  );

  it('generate refuses to write through a symlinked folder inside --out', async () => {
    await mkdir(join(base, 'elsewhere'));
    await mkdir(out);
    await symlink('../elsewhere', join(out, 'hosts'));
    const result = await cli('generate', '--example', '--out', out);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^talos-topology: \(built-in spaceships example\): hosts\/\S+: lies under the symbolic link hosts/m,
    );
    expect(await readdir(join(base, 'elsewhere'))).toEqual([]);
    const json = await cli('check', '--example', '--out', out, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: false,
      example: true,
      error: { kind: 'artifacts', message: expect.stringContaining('lies under the symbolic link hosts') },
    });
  });
});

describe('talos-topology generate into a folder that is already current', () => {
  it('reports every artifact unchanged and the same warnings, as writing them would, and still refuses hand edits', async () => {
    const first = await cli('generate', '--example', '--out', out, '--json');
    const again = await cli('generate', '--example', '--out', out, '--json');
    const [wrote, kept] = [JSON.parse(first.out) as Loose, JSON.parse(again.out) as Loose];
    expect(kept).toEqual({ ...wrote, written: [], unchanged: wrote.written, removed: [] });
    const text = await cli('generate', '--example', '--out', out);
    expect(text.out).toMatch(/: 23 artifacts in .* \(0 written, 23 unchanged, 0 removed\)\n$/);
    expect(text.err).toContain('image-pinned');
    await writeFile(join(out, 'dns/public-records.json'), '[]\n');
    const edited = await cli('generate', '--example', '--out', out);
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('dns/public-records.json: was edited by hand since it was generated');
  });
});
