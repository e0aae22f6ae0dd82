import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { Topology } from '../src/models/define.js';
import { checkTopology } from '../src/rules/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The functions a user calls first, each with the file that documents it. */
const FIRST_CALLS: readonly (readonly [file: string, name: string])[] = [
  ['src/models/define.ts', 'defineTopology'],
  ['src/models/define.ts', 'safeDefineTopology'],
  ['src/generators/generate.ts', 'generate'],
  ['src/generators/output-folder.ts', 'writeArtifacts'],
  ['src/generators/output-folder.ts', 'findStaleFiles'],
  ['src/generators/read.ts', 'readArtifactSet'],
  ['src/models/json-schema.ts', 'topologyJsonSchema'],
  ['src/clients/omni/plan.ts', 'planOmni'],
  ['src/clients/omni/apply.ts', 'applyOmni'],
  ['packages/omni-client/src/wait.ts', 'waitForClusterReady'],
  ['packages/omni-client/src/client.ts', 'createOmniClient'],
  ['src/clients/proxmox/plan.ts', 'planProxmox'],
  ['src/clients/proxmox/apply.ts', 'applyProxmox'],
  ['src/clients/unifi/plan.ts', 'planUnifi'],
  ['src/clients/unifi/apply.ts', 'applyUnifi'],
  ['src/testing/omni/emulator.ts', 'startOmniEmulator'],
  ['src/testing/omni/provider-status.ts', 'startInfraProvider'],
  ['src/testing/proxmox/server.ts', 'startProxmoxEmulator'],
  ['src/testing/unifi/server.ts', 'startUnifiEmulator'],
  ['src/clients/auth0/plan.ts', 'planAuth0'],
  ['src/clients/auth0/apply.ts', 'applyAuth0'],
  ['src/testing/auth0/server.ts', 'startAuth0Emulator'],
];

/**
 * The package's import paths, resolved to their sources as a consumer's compiler resolves them to `dist` (the
 * workspace package `@talos-sdk/omni-client` as `tsconfig.json` maps it).
 */
const IMPORT_PATHS: Record<string, string[]> = {
  '@talos-sdk/topology': ['src/index.ts'],
  '@talos-sdk/topology/http': ['src/clients/http/index.ts'],
  '@talos-sdk/topology/omni-client': ['src/clients/omni/index.ts'],
  '@talos-sdk/topology/proxmox': ['src/clients/proxmox/index.ts'],
  '@talos-sdk/topology/unifi': ['src/clients/unifi/index.ts'],
  '@talos-sdk/topology/auth0': ['src/clients/auth0/index.ts'],
  '@talos-sdk/topology/orchestration': ['src/orchestration/index.ts'],
  '@talos-sdk/topology/testing': ['src/testing/index.ts'],
};

/** The `ts` code blocks of the `@example` tags of an exported function's TSDoc. */
async function examplesOf(file: string, name: string): Promise<string[]> {
  const source = ts.createSourceFile(file, await readFile(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find(
    (statement): statement is ts.FunctionDeclaration =>
      ts.isFunctionDeclaration(statement) && statement.name?.text === name,
  );
  if (!declaration) throw new Error(`${file} declares no function ${name}`);
  return ts
    .getJSDocTags(declaration)
    .filter((tag) => tag.tagName.text === 'example')
    .flatMap((tag) => [...(ts.getTextOfJSDocComment(tag.comment) ?? '').matchAll(/```ts\n([\s\S]*?)```/g)])
    .map((match) => match[1]!);
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('API docs module names', () => {
  it('name each entry point by its import path', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { default: string }>;
    };
    const entries = Object.entries(manifest.exports).filter(
      (entry): entry is [string, { default: string }] => typeof entry[1] === 'object',
    );
    expect(entries.length).toBeGreaterThan(5);
    for (const [subpath, { default: built }] of entries) {
      const source = built.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
      const name = `@talos-sdk/topology${subpath.slice(1)}`;
      expect(await readFile(join(ROOT, source), 'utf8'), source).toMatch(new RegExp(`^ \\* @module ${name}$`, 'm'));
    }
  });
});

describe('API docs examples', () => {
  it('has an @example on every function a user calls first, and each one typechecks', async () => {
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    dir = await mkdtemp(join(ROOT, '.tmp', 'doc-examples-'));
    const files: string[] = [];
    for (const [file, name] of FIRST_CALLS) {
      const examples = await examplesOf(file, name);
      expect(examples.length, `${file}: ${name} has no @example`).toBeGreaterThan(0);
      for (const [index, code] of examples.entries()) {
        // The defineTopology example is the `./topology.js` the other examples import.
        const path = join(dir, name === 'defineTopology' ? 'topology.ts' : `${name}-${index}.ts`);
        await writeFile(path, code);
        files.push(path);
      }
    }
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    const program = ts.createProgram(files, {
      ...options,
      noEmit: true,
      baseUrl: ROOT,
      paths: { ...options.paths, ...IMPORT_PATHS },
    });
    const problems = files.flatMap((file) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((diagnostic) => `${file}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`),
    );
    expect(problems).toEqual([]);

    // The defineTopology example is a real topology: it validates and passes every error rule.
    const { default: topology } = (await import(join(dir, 'topology.ts'))) as { default: Topology };
    expect(checkTopology(topology).filter((issue) => issue.severity === 'error')).toEqual([]);
  }, 120_000);
});
