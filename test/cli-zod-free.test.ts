// A valid topology reaches no zod in the built CLI: `validate`, `generate` and `check` run on the validator compiled
// from the schema, and zod's code (about 10 ms to load) is read only to explain an invalid topology. Run against a
// fresh bundle (scripts/bundle-cli.mjs) with a module hook that logs every module Node loads.
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCliApart } from './cli-bundle-apart.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let base: string;

beforeAll(async () => {
  ({ base } = await bundleCliApart('talos-topology-zod-free-'));
  await writeFile(
    join(base, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) {\n' +
      "  if (url.startsWith('file:')) appendFileSync(process.env.LOAD_LOG, `${url}\\n`);\n" +
      '  return next(url, context);\n' +
      '}\n',
  );
  await writeFile(
    join(base, 'register.mjs'),
    "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
  );
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/**
 * Runs the fresh CLI and says whether any code it loaded holds zod's: every module the hook saw, and the command's
 * script (`commands/<command>.cjs`, run by the CLI's script loader, which module hooks do not see).
 */
async function loadsZod(...args: string[]): Promise<{ status: number | null; zod: boolean }> {
  const log = join(base, `loaded-${args.join('-').replace(/\W+/g, '_')}.log`);
  await writeFile(log, '');
  const result = spawnSync(
    process.execPath,
    ['--import', join(base, 'register.mjs'), join(base, 'dist/cli/main.cjs'), ...args],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LOAD_LOG: log } },
  );
  const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const script = join(base, 'dist/cli/commands', `${args[0]}.cjs`);
  const files = [...urls.map((url) => fileURLToPath(url)), script];
  expect(urls.some((url) => url.endsWith('/dist/cli/main.cjs'))).toBe(true);
  const sources = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  return { status: result.status, zod: sources.some((source) => source.includes('"$ZodType"')) };
}

describe('the built CLI on a valid topology', () => {
  it('validates, generates and checks without loading zod', async () => {
    const out = join(base, 'out');
    expect(await loadsZod('validate', '--example')).toEqual({ status: 0, zod: false });
    expect(await loadsZod('validate', 'examples/spaceships/topology.yaml')).toEqual({ status: 0, zod: false });
    expect(await loadsZod('generate', '--example', '--out', out)).toEqual({ status: 0, zod: false });
    expect(await loadsZod('check', '--example', '--out', out)).toEqual({ status: 0, zod: false });
  }, 60_000);

  it('loads zod to explain an invalid one', async () => {
    const file = join(base, 'invalid.json');
    await writeFile(file, JSON.stringify({ name: 'Not A Name' }));
    expect(await loadsZod('validate', file)).toEqual({ status: 1, zod: true });
  }, 30_000);
});
