import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../test/temporary-folders.js';
import type { CacheSurroundings } from './compile-cache.js';
import { runCommandScript } from './command-script.js';

const folder = temporaryFolders();

/** Writes a command script as the build does: the hash line, then CommonJS. */
function writeScript(file: string, body: string): void {
  const hash = createHash('sha256').update(body).digest('hex');
  writeFileSync(file, `// sha256:${hash}\n${body}`);
}

/**
 * Runs a script as the CLI does, in a process of its own (V8 keeps what one process compiled by source and name, and
 * would not look at a cache again), saving its cache when it was compiled.
 */
function runInChild(file: string, surroundings: CacheSurroundings): { cache: string; doubled: number } {
  const code = [
    `import { runCommandScript } from ${JSON.stringify(new URL('./command-script.ts', import.meta.url).href)};`,
    `const loaded = runCommandScript(${JSON.stringify(file)}, ${JSON.stringify(surroundings)});`,
    'loaded.saveCache?.();',
    'console.log(JSON.stringify({ cache: loaded.cache, doubled: loaded.exports.run(21) }));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as { cache: string; doubled: number };
}

const BODY = `"use strict";
function double(n) { return n * 2; }
module.exports = {
  run: (n) => double(n),
  file: __filename,
  load: (specifier) => __scriptImport(specifier),
};
`;

describe('runCommandScript', () => {
  const home = (): CacheSurroundings => ({
    env: {},
    platform: 'linux',
    home: folder('script-home-'),
    uid: process.geteuid?.(),
  });

  it('compiles a script once, keeps V8’s cache of what ran in the private folder (0600), and takes it next time', () => {
    const surroundings = home();
    const file = join(folder('script-'), 'validate.cjs');
    writeScript(file, BODY);
    expect(runInChild(file, surroundings)).toEqual({ cache: 'compiled', doubled: 42 });
    const scripts = join(surroundings.home, '.cache', 'talos-topology', 'compile-cache', 'scripts');
    const [entry, ...others] = readdirSync(scripts);
    expect(others).toEqual([]);
    expect(entry).toMatch(
      new RegExp(`^validate\\.cjs-[0-9a-f]{8}-[0-9a-f]{32}-\\d+-\\d+-${process.version}-${process.arch}$`),
    );
    expect(statSync(join(scripts, entry!)).mode & 0o777).toBe(0o600);
    expect(runInChild(file, surroundings)).toEqual({ cache: 'cached', doubled: 42 });

    const inProcess = runCommandScript(file, surroundings);
    expect(inProcess.exports['file']).toBe(file);
    expect(inProcess.saveCache).toBeUndefined();
  }, 30_000);

  it('imports through the loader, from a cached script too (a script has no module to resolve import() against)', async () => {
    const surroundings = home();
    const file = join(folder('script-'), 'check.cjs');
    writeScript(file, BODY);
    runCommandScript(file, surroundings).saveCache!();
    const cached = runCommandScript(file, surroundings);
    expect(cached.cache).toBe('cached');
    const path = (await (cached.exports['load'] as (s: string) => Promise<{ sep: string }>)('node:path')) as {
      sep: string;
    };
    expect(path.sep).toBe('/');
  });

  it('keys the cache by content: a rebuilt script compiles afresh and replaces its old cache', () => {
    const surroundings = home();
    const file = join(folder('script-'), 'generate.cjs');
    writeScript(file, BODY);
    runCommandScript(file, surroundings).saveCache!();
    // The same length and the same modification time, other code: V8 alone would take the old cache.
    const { mtime } = statSync(file);
    writeScript(file, BODY.replace('n * 2', 'n * 3'));
    utimesSync(file, mtime, mtime);
    const rebuilt = runCommandScript(file, surroundings);
    expect(rebuilt.cache).toBe('compiled');
    expect((rebuilt.exports['run'] as (n: number) => number)(2)).toBe(6);
    rebuilt.saveCache!();
    const scripts = join(surroundings.home, '.cache', 'talos-topology', 'compile-cache', 'scripts');
    expect(readdirSync(scripts)).toHaveLength(1);
  });

  it('keeps a cache per installation: two copies of the CLI do not replace each other’s', () => {
    const surroundings = home();
    for (const place of [folder('install-a-'), folder('install-b-')]) {
      const file = join(place, 'validate.cjs');
      writeScript(file, BODY);
      runCommandScript(file, surroundings).saveCache!();
    }
    const scripts = join(surroundings.home, '.cache', 'talos-topology', 'compile-cache', 'scripts');
    expect(readdirSync(scripts)).toHaveLength(2);
  });

  it('removes, when it writes a cache, any cache not written for 30 days (another installation, another Node)', () => {
    const surroundings = home();
    const scripts = join(surroundings.home, '.cache', 'talos-topology', 'compile-cache', 'scripts');
    const [old, recent, current] = ['install-a-', 'install-b-', 'install-c-'].map((prefix) => {
      const file = join(folder(prefix), 'validate.cjs');
      writeScript(file, BODY);
      return file;
    });
    runCommandScript(old!, surroundings).saveCache!();
    const [oldCache] = readdirSync(scripts);
    const monthAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    utimesSync(join(scripts, oldCache!), monthAgo, monthAgo);
    runCommandScript(recent!, surroundings).saveCache!();
    const [recentCache] = readdirSync(scripts).filter((entry) => entry !== oldCache);
    const weeksAgo = new Date(Date.now() - 20 * 24 * 60 * 60 * 1000);
    utimesSync(join(scripts, recentCache!), weeksAgo, weeksAgo);
    runCommandScript(current!, surroundings).saveCache!();
    const left = readdirSync(scripts);
    expect(left).toHaveLength(2);
    expect(left).toContain(recentCache);
    expect(left).not.toContain(oldCache);
  });

  it('compiles again over data V8 refuses, and writes it anew', () => {
    const surroundings = home();
    const file = join(folder('script-'), 'init.cjs');
    writeScript(file, BODY);
    expect(runInChild(file, surroundings).cache).toBe('compiled');
    const scripts = join(surroundings.home, '.cache', 'talos-topology', 'compile-cache', 'scripts');
    const [entry] = readdirSync(scripts);
    writeFileSync(join(scripts, entry!), 'not a code cache');
    expect(runInChild(file, surroundings)).toEqual({ cache: 'compiled', doubled: 42 });
    expect(runInChild(file, surroundings).cache).toBe('cached');
  }, 30_000);

  it('runs uncached without the build’s hash line, without a private folder, or with NODE_DISABLE_COMPILE_CACHE', () => {
    const file = join(folder('script-'), 'example.cjs');
    writeFileSync(file, BODY);
    expect(runCommandScript(file, home()).cache).toBe('uncached');
    writeScript(file, BODY);
    expect(runCommandScript(file, { ...home(), env: { NODE_DISABLE_COMPILE_CACHE: '1' } }).cache).toBe('uncached');
    expect(runCommandScript(file, { ...home(), home: '' }).cache).toBe('uncached');
  });
});
