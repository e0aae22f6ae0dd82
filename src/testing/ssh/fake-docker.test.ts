import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeDocker } from './fake-docker.js';
import { startFakeDocker } from './fake-docker.js';

const run = promisify(execFile);

/** Runs the fake's `docker` script as a shell on the host would, with only these variables. */
async function docker(
  fake: FakeDocker,
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(fake.command, args, { cwd, env: { PATH: '/usr/bin:/bin', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the fake docker script', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function start(): Promise<{ fake: FakeDocker; dir: string }> {
    const fake = await startFakeDocker({ composeVersion: '2.29.7' });
    const dir = await mkdtemp(join(tmpdir(), 'fake-docker-test-'));
    cleanups.push(
      () => fake.close(),
      () => rm(dir, { recursive: true, force: true }),
    );
    return { fake, dir };
  }

  it('carries arguments with spaces, newlines and empty ones, the folder and the environment, and the exit code', async () => {
    const { fake, dir } = await start();
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "nginx:${TAG:?set a tag}"\n');

    const refused = await docker(fake, dir, ['compose', 'up', '-d']);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'required variable TAG is missing a value: set a tag\n' });

    const up = await docker(fake, dir, ['compose', 'up', '-d'], { TAG: '1.27 with\nnewline' });
    expect(up.code).toBe(0);
    // The project is named after its folder, as Compose names a file without a top-level `name`.
    expect(fake.projectValues.get(basename(dir))?.get('TAG')).toBe('1.27 with\nnewline');
    expect(fake.projects.get(basename(dir))?.get('web')?.image).toBe('nginx:${TAG:?set a tag}');

    const odd = await docker(fake, '/', ['compose', '--project-directory', dir, 'ps', '', '--all', '--format', 'json']);
    expect(odd.code).toBe(0);
    expect(fake.invocations.at(-1)).toEqual({
      args: ['compose', '--project-directory', dir, 'ps', '', '--all', '--format', 'json'],
      cwd: '/',
    });
    expect(odd.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(odd.stdout)).toMatchObject({ Service: 'web', State: 'running' });
  });

  it('prints what the real docker prints: versions with their newline, unknown commands on stderr', async () => {
    const { fake, dir } = await start();
    expect(await docker(fake, dir, ['version', '--format', '{{.Server.Version}}'])).toEqual({
      code: 0,
      stdout: '27.3.1\n',
      stderr: '',
    });
    expect(await docker(fake, dir, ['compose', 'version', '--short'])).toEqual({
      code: 0,
      stdout: '2.29.7\n',
      stderr: '',
    });
    expect(await docker(fake, dir, ['swarm'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "docker: 'swarm' is not a docker command.\n",
    });
  });

  it('says the daemon is not running when nothing listens', async () => {
    const { fake, dir } = await start();
    const copy = join(dir, 'docker');
    await writeFile(copy, await readFile(fake.command, 'utf8'), { mode: 0o755 });
    await fake.close();
    await expect(run(copy, ['ps'], { cwd: dir })).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon. Is the docker daemon running?\n',
    });
  });
});
