// `validate`, `generate` and `check` answer from the record of their last verdict while nothing it rests on changed
// (src/cli/verdict-record.ts): run against a fresh bundle of the CLI in a temporary folder, as a subprocess, with a
// home of its own. That an answer came from the record, not from the command, is shown by breaking the commands'
// scripts (their hash lines kept, so the record still names this build): the record answers, the command could not.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAME_TICK_MARGIN_MS } from '../src/cli/file-signature.js';
import { bundleCliApart } from './cli-bundle-apart.js';

const RECORDED = ['validate', 'generate', 'check'] as const;
let base: string;
let project: string;
let home: string;
let cli: string;

beforeAll(async () => {
  ({ base, cli } = await bundleCliApart('talos-topology-verdicts-'));
  home = join(base, 'home');
  project = join(base, 'lab');
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: home, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every command's outcome on the project, in text and in JSON. */
function outcomes(env: Record<string, string> = {}): Record<string, Run> {
  return Object.fromEntries(
    RECORDED.flatMap((command) => [
      [command, run([command], env)],
      [`${command} --json`, run([command, '--json'], env)],
    ]),
  );
}

/** Replaces every recorded command's script after its hash line, so that running it fails; returns the undo. */
async function breakCommandScripts(): Promise<() => Promise<void>> {
  const saved = await Promise.all(
    RECORDED.map(async (command) => {
      const file = join(base, 'dist/cli/commands', `${command}.cjs`);
      const text = await readFile(file, 'utf8');
      await writeFile(file, `${text.slice(0, text.indexOf('\n') + 1)}throw new Error('the ${command} script ran');\n`);
      return [file, text] as const;
    }),
  );
  return async () => {
    for (const [file, text] of saved) await writeFile(file, text);
  };
}

describe('recorded verdicts', () => {
  it('answer as the commands do while nothing changed, and never once the topology, a key file or the folder did', async () => {
    await mkdir(project, { recursive: true });
    // The example as YAML, with one SSH key read from a file beside it.
    const example = spawnSync(process.execPath, [cli, 'example'], { encoding: 'utf8' }).stdout;
    const key = /^ {6}- (ssh-ed25519 \S+ admin@spaceships\.example)$/m.exec(example)![1]!;
    await writeFile(join(project, 'admin.pub'), `${key}\n`);
    await writeFile(
      join(project, 'topology.yaml'),
      example.replace(`    sshKeys:\n      - ${key}`, '    sshKeys:\n      - file: admin.pub'),
    );
    expect(run(['generate'])).toMatchObject({ status: 0, stdout: expect.stringContaining('23 written') });
    // Files changed within the margin are never recorded: wait it out, as a folder generated earlier would have.
    await sleep(SAME_TICK_MARGIN_MS + 100);

    const worked = outcomes();
    expect(worked['validate']).toMatchObject({ status: 0, stdout: 'topology.yaml: valid (2 warnings)\n' });
    expect(worked['check']).toMatchObject({ status: 0, stdout: 'topology.yaml: out is up to date\n' });
    expect(worked['generate']!.stdout).toContain('(0 written, 23 unchanged, 0 removed)');
    const records = join(home, '.cache', 'talos-topology', 'verdicts');
    expect((await readdir(records)).sort()).toEqual([
      expect.stringMatching(/^check-[0-9a-f]{8}\.json$/),
      expect.stringMatching(/^generate-[0-9a-f]{8}\.json$/),
      expect.stringMatching(/^validate-[0-9a-f]{8}\.json$/),
    ]);
    expect((await stat(records)).mode & 0o777).toBe(0o700);

    const restore = await breakCommandScripts();
    try {
      // The same output, character for character, without the commands.
      expect(outcomes()).toEqual(worked);
      // TALOS_TOPOLOGY_REVERIFY turns the records off: the command runs, and here fails.
      expect(run(['check'], { TALOS_TOPOLOGY_REVERIFY: '1' })).toMatchObject({
        status: 1,
        stderr: expect.stringContaining('the check script ran'),
      });

      // Each change sends every command it concerns back to its work.
      const manifest = join(project, 'out', 'manifest.json');
      const text = await readFile(manifest, 'utf8');
      await writeFile(manifest, `${text}\n`);
      expect(run(['check']).stderr).toContain('the check script ran');
      expect(run(['validate']).status).toBe(0);
      await writeFile(manifest, text);
      await writeFile(join(project, 'admin.pub'), `${key} \n`);
      for (const command of RECORDED) expect(run([command]).stderr).toContain(`the ${command} script ran`);
    } finally {
      await restore();
    }

    // The commands themselves see the folder as it now is.
    expect(run(['check'])).toMatchObject({ status: 0, stdout: 'topology.yaml: out is up to date\n' });
    const manifest = JSON.parse(await readFile(join(project, 'out', 'manifest.json'), 'utf8')) as {
      artifacts: { path: string }[];
    };
    const artifact = join(project, 'out', manifest.artifacts[0]!.path);
    await writeFile(artifact, `${await readFile(artifact, 'utf8')}# edited\n`);
    expect(run(['check'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('out is stale: 1 file differs'),
    });
  }, 60_000);
});
