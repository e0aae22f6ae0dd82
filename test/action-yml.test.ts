/**
 * action.yml, as GitHub reads it: a composite action whose steps pin every action they use by a full commit SHA, set
 * up Node 20, name only inputs it declares, and run files that exist in this repository.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ActionStep {
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}

interface ActionManifest {
  readonly name: string;
  readonly description: string;
  readonly inputs: Record<string, { description: string; default?: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly ActionStep[] };
}

async function action(): Promise<{ text: string; manifest: ActionManifest }> {
  const text = await readFile(new URL('../action.yml', import.meta.url), 'utf8');
  return { text, manifest: load(text) as ActionManifest };
}

describe('action.yml', () => {
  it('is a composite action with the inputs the README names', async () => {
    const { manifest } = await action();
    expect(manifest.name).toBe('talos-topology');
    expect(manifest.runs.using).toBe('composite');
    expect(Object.keys(manifest.inputs).sort()).toEqual(
      ['comment', 'github-token', 'install', 'out', 'targets', 'topology', 'working-directory'].sort(),
    );
    for (const [name, input] of Object.entries(manifest.inputs)) expect(input.description, name).toBeTruthy();
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(manifest.inputs)) expect(readme, name).toContain(`\`${name}\``);
  });

  it('pins every action it uses by a full commit SHA, with the version in a comment, and sets up Node 20', async () => {
    const { text, manifest } = await action();
    const uses = manifest.runs.steps.flatMap((step) => (step.uses ? [step.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    const setupNode = manifest.runs.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe('20');
    expect(text).toMatch(/# actions\/setup-node v\d+\.\d+\.\d+ .*\n\s*- uses: actions\/setup-node@[0-9a-f]{40}\n/);
  });

  it('runs only files that exist and names only inputs it declares; every run step says its shell', async () => {
    const { text, manifest } = await action();
    const runs = manifest.runs.steps.flatMap((step) => (step.run ? [step] : []));
    expect(runs.length).toBeGreaterThan(0);
    for (const step of runs) expect(step.shell).toBe('bash');
    const paths = runs.flatMap((step) =>
      [...step.run!.matchAll(/\$GITHUB_ACTION_PATH\/([\w./-]+)/g)].map((m) => m[1]!),
    );
    expect(paths).toContain('scripts/action/run-action.mjs');
    for (const path of paths) expect(existsSync(`${ROOT}${path}`), path).toBe(true);
    for (const [, name] of text.matchAll(/\binputs\.([\w-]+)/g)) expect(manifest.inputs, name).toHaveProperty(name!);
  });
});
