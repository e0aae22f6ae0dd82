import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../test/temporary-folders.js';
import { parseCliArgs } from './args.js';
import type { CliEnvironment, CommandContext } from './context.js';
import { recordableTopologyFile, verdictRecordOf } from './recorded-command.js';

const temporaryFolder = temporaryFolders();

function contextFor(argv: string[], more: Partial<CliEnvironment> = {}): CommandContext {
  const line = parseCliArgs(argv);
  if (line.kind !== 'run') throw new Error('expected a command');
  const output = { out: () => undefined, err: () => undefined };
  return { args: line.args, env: { output, env: {}, ...more } };
}

function folderWith(...names: string[]): string {
  const folder = temporaryFolder('recordable-');
  for (const name of names) writeFileSync(join(folder, name), '');
  return folder;
}

describe('recordableTopologyFile', () => {
  it('takes a YAML or JSON file, named or found, and the built-in example', () => {
    expect(recordableTopologyFile(contextFor(['check', 'lab.yml']))).toBe('lab.yml');
    expect(recordableTopologyFile(contextFor(['validate', 'lab.JSON']))).toBe('lab.JSON');
    const cwd = folderWith('topology.yaml');
    expect(recordableTopologyFile(contextFor(['generate'], { cwd }))).toBe(join(cwd, 'topology.yaml'));
    expect(recordableTopologyFile(contextFor(['check', '--example']))).toBeUndefined();
  });

  it('never a module, which may read anything when it runs, nor an example the surroundings give', () => {
    for (const file of ['lab.ts', 'lab.mts', 'lab.js', 'lab.mjs']) {
      expect(recordableTopologyFile(contextFor(['check', file]))).toBeNull();
    }
    const cwd = folderWith('topology.ts');
    expect(recordableTopologyFile(contextFor(['check'], { cwd }))).toBeNull();
    const builtInExample = () => Promise.resolve({});
    expect(recordableTopologyFile(contextFor(['check', '--example'], { builtInExample }))).toBeNull();
  });

  it('leaves no file, several, or an unknown extension to the command to report', () => {
    expect(recordableTopologyFile(contextFor(['check'], { cwd: folderWith() }))).toBeNull();
    expect(
      recordableTopologyFile(contextFor(['check'], { cwd: folderWith('topology.yaml', 'topology.json') })),
    ).toBeNull();
    expect(recordableTopologyFile(contextFor(['check', 'lab.toml']))).toBeNull();
  });
});

describe('verdictRecordOf', () => {
  it('gives no record to a CLI run from source: no command script names the build (test/cli-verdict-record.test.ts runs a build)', () => {
    expect(verdictRecordOf('check', contextFor(['check', 'lab.yaml']))).toBeUndefined();
  });
});
