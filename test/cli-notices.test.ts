// The CLI bundle holds the code of some packages (zod, js-yaml: scripts/bundle-cli.mjs), and their licences ask that
// every copy carry their notice: the bundle's notices file names each such package with its licence text.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICES } from '../scripts/bundle-cli.mjs';
import { bundleCliApart } from './cli-bundle-apart.js';

let base: string;

beforeAll(async () => {
  ({ base } = await bundleCliApart('talos-topology-notices-'));
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("the CLI bundle's third-party notices", () => {
  it('name each package the bundle holds, with its version and licence text', async () => {
    const notices = await readFile(join(base, 'dist/cli', NOTICES), 'utf8');
    const held = [...notices.matchAll(/^## (\S+) (\S+) \((.+)\)$/gm)].map((match) => match[1]);
    expect(held).toEqual(expect.arrayContaining(['js-yaml', 'zod']));
    // Packages the CLI loads from node_modules are not held, so not listed.
    expect(held).not.toContain('undici');
    expect(held).not.toContain('@grpc/grpc-js');
    const zod = notices.slice(notices.indexOf('## zod '));
    expect(zod).toContain('Permission is hereby granted');
    const version = (
      JSON.parse(await readFile(new URL('../node_modules/zod/package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(notices).toContain(`## zod ${version} (MIT)`);
  });
});
