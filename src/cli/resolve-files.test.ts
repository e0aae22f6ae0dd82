import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { TopologyError } from '../models/issue.js';
import { loadTopology } from './load-topology.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@example';
const noBuiltIn = (): Promise<unknown> => Promise.reject(new Error('not used'));

/** Writes the spaceships topology as YAML in a fresh folder, with Holly's keys as given, and returns its path. */
async function yamlTopology(sshKeys: unknown[], files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'topology-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const input = spaceshipsInput() as Loose;
  input.guests.holly.cloudInit = { user: 'admin', sshKeys };
  const file = join(dir, 'topology.yaml');
  await writeFile(file, dump(input));
  return file;
}

async function loadError(file: string): Promise<TopologyError> {
  const error = await loadTopology(file, noBuiltIn).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TopologyError);
  return error as TopologyError;
}

describe('file references in a YAML topology', () => {
  it('reads { file } SSH keys relative to the topology file', async () => {
    const file = await yamlTopology([{ file: 'keys/admin.pub' }, KEY.replace('admin@', 'ops@')], {
      'keys/admin.pub': `${KEY}\n`,
    });
    const { topology } = await loadTopology(file, noBuiltIn);
    const holly = topology.guests['holly'];
    expect(holly?.type === 'qemu' && holly.cloudInit?.sshKeys).toEqual([KEY, KEY.replace('admin@', 'ops@')]);
  });

  it('names the path and the file when it cannot be read', async () => {
    const error = await loadError(await yamlTopology([{ file: 'keys/missing.pub' }], {}));
    expect(error.issues).toEqual([
      {
        path: 'guests.holly.cloudInit.sshKeys.0',
        rule: 'file',
        message: 'keys/missing.pub cannot be read (ENOENT)',
        severity: 'error',
        line: expect.any(Number) as number,
        column: expect.any(Number) as number,
      },
    ]);
  });

  it('refuses a device or FIFO as a key file without reading it', async () => {
    const error = await loadError(await yamlTopology([{ file: '/dev/zero' }], {}));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'guests.holly.cloudInit.sshKeys.0', rule: 'file' })]);
    expect(error.issues[0]?.message).toMatch(/^\/dev\/zero is not a regular file/);
  });

  it('visits only the sshKeys lists, so an alias bomb elsewhere is left to the input bounds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topology-'));
    await writeFile(join(dir, 'admin.pub'), `${KEY}\n`);
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++)
      levels.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    const input = spaceshipsInput() as Loose;
    input.guests.holly.cloudInit = { user: 'admin', sshKeys: [{ file: 'admin.pub' }] };
    const file = join(dir, 'topology.yaml');
    await writeFile(file, `${dump(input)}bomb:\n${levels.map((line) => `  ${line}`).join('\n')}\n`);
    const error = await loadError(file);
    expect(error.issues.map((issue) => issue.rule)).toContain('input-limit');
  });

  it('refuses a private key file without repeating it', async () => {
    const secret = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ';
    const file = await yamlTopology([{ file: 'keys/id_ed25519' }], {
      'keys/id_ed25519': `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret}\n-----END OPENSSH PRIVATE KEY-----\n`,
    });
    const error = await loadError(file);
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: 'guests.holly.cloudInit.sshKeys.0', rule: 'ssh-public-key' }),
    );
    expect(error.message).toMatch(/is a private key/);
    expect(error.message).not.toContain(secret);
  });
});
