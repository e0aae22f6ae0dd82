import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretDestinationError, hasSecret, removeSecret, writeSecret } from './secret-destination.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secret-destination-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('a secret destination', () => {
  it('that is a symbolic link is refused for reading, writing and removing, and stays a link', async () => {
    const real = join(dir, 'real.env');
    await writeFile(real, 'OTHER=1\n');
    const link = join(dir, 'provider.env');
    await symlink(real, link);
    for (const destination of [{ envFile: link }, { file: link }]) {
      for (const attempt of [
        () => writeSecret(destination, 'OMNI_SERVICE_ACCOUNT_KEY', 'secret-value'),
        () => hasSecret(destination, 'OMNI_SERVICE_ACCOUNT_KEY'),
        () => removeSecret(destination, 'OMNI_SERVICE_ACCOUNT_KEY'),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(SecretDestinationError);
        expect(error).toMatchObject({ path: link, message: expect.stringContaining(`refusing to use ${link}`) });
      }
    }
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('OTHER=1\n');
  });

  it('that is a regular file gets the secret with mode 0600', async () => {
    const file = join(dir, 'provider.env');
    await writeSecret({ envFile: file }, 'KEY', 'value');
    expect(await readFile(file, 'utf8')).toBe("KEY='value'\n");
    expect((await lstat(file)).mode & 0o777).toBe(0o600);
  });

  it('quotes an env file value so Docker Compose reads it literally, and reads it back', async () => {
    const file = join(dir, 'provider.env');
    await writeSecret({ envFile: file }, 'DOLLAR', ' ab$cd #x ');
    await writeSecret({ envFile: file }, 'QUOTES', `it's "q" \\`);
    // Compose's env-file syntax: single-quoted values are literal; inside double quotes \" and \\ are escapes.
    expect(await readFile(file, 'utf8')).toBe(`DOLLAR=' ab$cd #x '\nQUOTES="it's \\"q\\" \\\\"\n`);
    expect(await hasSecret({ envFile: file }, 'QUOTES')).toBe(true);
    const error = await writeSecret({ envFile: file }, 'BOTH', "a'b$c").catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/^Error: BOTH holds both a single quote/);
    expect(String(error)).not.toContain("a'b$c");
  });
});
