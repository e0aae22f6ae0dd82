/**
 * What `npm pack` puts in the tarball (`npm run build` first): the built package, its schema, README, LICENSE and
 * package.json, and no source map (a map points at `src/`, which is not shipped).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The files `npm pack` would pack, from the current `dist/` (no prepare script, so no rebuild). */
function packedFiles(): string[] {
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  const [pack] = JSON.parse(json) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map(({ path }) => path);
}

describe('the npm tarball', () => {
  it('holds dist/, the schema, README, LICENSE and package.json, and no source map', () => {
    const files = packedFiles();
    expect(files).toContain('dist/cli/main.cjs');
    // The licences of the packages the CLI bundle holds (scripts/bundle-cli.mjs).
    expect(files).toContain('dist/cli/THIRD-PARTY-NOTICES.md');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(
      files.filter(
        (file) =>
          !file.startsWith('dist/') &&
          !['schema/topology.schema.json', 'README.md', 'LICENSE', 'package.json'].includes(file),
      ),
    ).toEqual([]);
  });
});
