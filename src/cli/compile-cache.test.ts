import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../test/temporary-folders.js';
import type { CacheSurroundings } from './compile-cache.js';
import { compileCacheFolder, enableUserCompileCache, userCacheFolder } from './compile-cache.js';

const uid = process.geteuid?.();
const posix = process.platform !== 'win32';
const folder = temporaryFolders();

function tempHome(): string {
  return folder('cache-home-');
}

function linux(home: string, env: Record<string, string> = {}): CacheSurroundings {
  return { env, platform: 'linux', home, uid };
}

describe('userCacheFolder', () => {
  it('follows each platform’s per-user cache place', () => {
    expect(userCacheFolder(linux('/home/ada'))).toBe(join('/home/ada', '.cache', 'talos-topology', 'compile-cache'));
    expect(userCacheFolder(linux('/home/ada', { XDG_CACHE_HOME: '/var/cache/ada' }))).toBe(
      join('/var/cache/ada', 'talos-topology', 'compile-cache'),
    );
    expect(userCacheFolder({ env: {}, platform: 'darwin', home: '/Users/ada', uid: 501 })).toBe(
      join('/Users/ada', 'Library', 'Caches', 'talos-topology', 'compile-cache'),
    );
    const windows = {
      env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
      platform: 'win32',
      home: '',
      uid: undefined,
    };
    expect(userCacheFolder(windows as CacheSurroundings)).toBe(
      join('C:\\Users\\ada\\AppData\\Local', 'talos-topology', 'compile-cache'),
    );
    // No home and no variable: no per-user place, so no cache (never the shared temporary folder).
    expect(userCacheFolder(linux(''))).toBeUndefined();
  });
});

describe.runIf(posix)('compileCacheFolder', () => {
  it('leaves the choice to Node when the user set NODE_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE', () => {
    const home = tempHome();
    expect(compileCacheFolder(linux(home, { NODE_COMPILE_CACHE: '/somewhere' }))).toBeUndefined();
    expect(compileCacheFolder(linux(home, { NODE_DISABLE_COMPILE_CACHE: '1' }))).toBeUndefined();
  });

  it('creates the per-user folder private (0700) and uses it', () => {
    const home = tempHome();
    const folder = compileCacheFolder(linux(home));
    expect(folder).toBe(join(home, '.cache', 'talos-topology', 'compile-cache'));
    expect(statSync(folder!).mode & 0o777).toBe(0o700);
    // Used again as it is on the next run.
    expect(compileCacheFolder(linux(home))).toBe(folder);
  });

  it('refuses a folder others may write, a link, one of another user, or one that cannot be made', () => {
    const home = tempHome();
    const folder = join(home, '.cache', 'talos-topology', 'compile-cache');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o777);
    expect(compileCacheFolder(linux(home))).toBeNull();
    chmodSync(folder, 0o700);
    expect(compileCacheFolder({ ...linux(home), uid: (uid ?? 0) + 1 })).toBeNull();

    const linked = tempHome();
    const elsewhere = tempHome();
    mkdirSync(join(linked, '.cache', 'talos-topology'), { recursive: true });
    symlinkSync(elsewhere, join(linked, '.cache', 'talos-topology', 'compile-cache'));
    expect(compileCacheFolder(linux(linked))).toBeNull();

    const blocked = tempHome();
    writeFileSync(join(blocked, '.cache'), 'a file where the folder would go');
    expect(compileCacheFolder(linux(blocked))).toBeNull();
  });

  it('makes nothing in a home folder that is not this user’s (sudo keeps the caller’s HOME)', () => {
    const home = tempHome();
    expect(compileCacheFolder({ ...linux(home), uid: (uid ?? 0) + 1 })).toBeNull();
    expect(() => statSync(join(home, '.cache'))).toThrow();
  });
});

describe.runIf(posix)('enableUserCompileCache', () => {
  it('hands Node the private folder, nothing when there is none, and does nothing where Node has no cache', () => {
    const calls: (string | undefined)[] = [];
    const enable = (folder?: string): void => void calls.push(folder);
    const home = tempHome();
    enableUserCompileCache(enable, linux(home));
    enableUserCompileCache(enable, linux(home, { NODE_COMPILE_CACHE: '/chosen' }));
    enableUserCompileCache(enable, linux(''));
    expect(calls).toEqual([join(home, '.cache', 'talos-topology', 'compile-cache'), undefined]);

    const untouched = tempHome();
    enableUserCompileCache(undefined, linux(untouched));
    expect(() => statSync(join(untouched, '.cache'))).toThrow();
  });
});
