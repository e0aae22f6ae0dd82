/**
 * Releases and docs: the GitHub workflows parse and do what the README's "Releases" section says (the pinned Node,
 * `bash .ci/run` on every push and pull request, both packages published with provenance in dependency order, the
 * typedoc site deployed to Pages), the README links the published API reference, and `npm run version-packages`'s
 * steps (`changeset version`, then `scripts/sync-version.mjs`) release both packages with one version and a
 * `CHANGELOG.md` entry each, in a scratch copy of the repository's manifests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, { tags?: string[]; branches?: string[] } | null>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

interface Manifest {
  name: string;
  version: string;
  engines: { node: string };
  repository: { url: string };
  dependencies: Record<string, string>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
}

function workflow(name: string): Workflow {
  return load(readFileSync(join(root, '.github/workflows', name), 'utf8')) as Workflow;
}

function steps(flow: Workflow): Step[] {
  return Object.values(flow.jobs).flatMap((job) => job.steps);
}

/** The index of the first step whose `run` contains `text` (-1 when none does). */
function stepRunning(flow: Workflow, text: string): number {
  return steps(flow).findIndex((step) => step.run?.includes(text));
}

const pkg = readJson<Manifest>('package.json');
const workflows = readdirSync(join(root, '.github/workflows')).filter((file) => /\.ya?ml$/.test(file));

describe('the GitHub workflows', () => {
  it('are ci, docs and publish, and parse', () => {
    expect(workflows.sort()).toEqual(['ci.yml', 'docs.yml', 'publish.yml']);
    for (const file of workflows) expect(steps(workflow(file)).length).toBeGreaterThan(0);
  });

  it("set up Node 20, the line CI runs on and the engines.node floor's major, in every job", () => {
    const floorMajor = /^>=(\d+)\./.exec(pkg.engines.node)?.[1];
    expect(floorMajor).toBe('20');
    for (const file of workflows) {
      const flow = workflow(file);
      for (const [name, job] of Object.entries(flow.jobs)) {
        if (job.steps.some((step) => step.run)) {
          const setups = job.steps.filter((step) => step.uses?.startsWith('actions/setup-node@'));
          expect(
            setups.map((step) => step.with?.['node-version']),
            `${file} ${name}`,
          ).toEqual([floorMajor]);
        }
      }
    }
  });

  it('pin every action to a major version', () => {
    for (const file of workflows) {
      for (const { uses } of steps(workflow(file))) if (uses) expect(uses, file).toMatch(/^actions\/[a-z-]+@v\d+$/);
    }
  });

  it('run bash .ci/run on every push and pull request', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toBeNull();
    expect(
      steps(ci)
        .map((step) => step.run)
        .filter(Boolean),
    ).toEqual(['bash .ci/run']);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('publish on a v* tag, after the tests and the build, @talos-sdk/omni-client first, with provenance', () => {
    const publish = workflow('publish.yml');
    expect(publish.on).toEqual({ push: { tags: ['v*'] } });
    expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const omniClient = stepRunning(
      publish,
      'npm publish --provenance --access public --workspace packages/omni-client',
    );
    const topology = steps(publish).findIndex((step) =>
      /npm publish --provenance --access public\n/.test(step.run ?? ''),
    );
    expect(omniClient).toBeGreaterThan(-1);
    expect(topology).toBeGreaterThan(omniClient);
    for (const command of ['npm ci', 'npm test', 'npm run build', 'GITHUB_REF_NAME" != "v$version"']) {
      const at = stepRunning(publish, command);
      expect(at, command).toBeGreaterThan(-1);
      expect(at, command).toBeLessThan(omniClient);
    }
    const setup = steps(publish).find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['registry-url']).toBe('https://registry.npmjs.org');
  });

  it('hand the npm token only to the publish steps, from the secret, and never put it on a command line', () => {
    const publish = workflow('publish.yml');
    const withToken = steps(publish).filter((step) => step.env?.NODE_AUTH_TOKEN);
    expect(withToken.map((step) => steps(publish).indexOf(step))).toEqual([
      stepRunning(publish, '--workspace packages/omni-client'),
      steps(publish).findIndex((step) => /npm publish --provenance --access public\n/.test(step.run ?? '')),
    ]);
    for (const step of withToken) expect(step.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    for (const file of workflows) {
      for (const { run } of steps(workflow(file))) expect(run ?? '', file).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
    }
  });

  it('build the typedoc site (its out folder) and deploy it to GitHub Pages', () => {
    const docs = workflow('docs.yml');
    expect(docs.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    const { out } = readJson<{ out: string }>('typedoc.json');
    const upload = steps(docs).find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload?.with?.path).toBe(out);
    expect(stepRunning(docs, 'npm run docs')).toBeGreaterThan(-1);
    expect(steps(docs).indexOf(upload!)).toBeGreaterThan(stepRunning(docs, 'npm run docs'));
    expect(steps(docs).some((step) => step.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
  });

  it("the README links the API reference where Pages publishes the repository's site", () => {
    const [, owner, repo] = /github\.com\/([^/]+)\/([^/.]+)\.git$/.exec(pkg.repository.url) ?? [];
    const site = `https://${owner}.github.io/${repo}/`;
    expect(readJson<{ homepage: string }>('package.json').homepage).toBe(site);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`[API reference](${site})`);
  });
});

describe('npm run version-packages (changeset version, then scripts/sync-version.mjs)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'talos-release-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The repository files the release steps read or write, copied into the scratch folder. */
  const files = [
    'package.json',
    'packages/omni-client/package.json',
    '.changeset/config.json',
    'CHANGELOG.md',
    'packages/omni-client/CHANGELOG.md',
    'src/generators/sdk-version.ts',
    'src/models/json-schema.ts',
    'README.md',
    'examples/spaceships/topology.yaml',
  ];

  it('releases both packages with one version, a CHANGELOG entry each, and that version in the sources', () => {
    for (const file of files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(root, file), join(scratch, file));
    }
    // changesets loads its changelog writer (`@changesets/cli/changelog`) from the project's node_modules.
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    // A fix in the client only: the fixed group releases the library with it, at the same version.
    writeFileSync(
      join(scratch, '.changeset/quiet-client-fix.md'),
      "---\n'@talos-sdk/omni-client': patch\n---\n\nRetries a watch the server closed.\n",
    );
    const next = pkg.version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    const changeset = join(root, 'node_modules/@changesets/cli/bin.js');
    execFileSync(process.execPath, [changeset, 'version'], { cwd: scratch, stdio: 'pipe' });
    execFileSync(process.execPath, [join(root, 'scripts/sync-version.mjs')], { cwd: scratch, stdio: 'pipe' });

    const read = (file: string) => readFileSync(join(scratch, file), 'utf8');
    const library = JSON.parse(read('package.json')) as Manifest;
    expect(library.version).toBe(next);
    expect((JSON.parse(read('packages/omni-client/package.json')) as Manifest).version).toBe(next);
    expect(library.dependencies['@talos-sdk/omni-client']).toBe(`^${next}`);
    expect(readdirSync(join(scratch, '.changeset'))).toEqual(['config.json']);

    const clientLog = read('packages/omni-client/CHANGELOG.md');
    expect(clientLog.indexOf(`## ${next}`)).toBeGreaterThan(0);
    expect(clientLog.indexOf('Retries a watch the server closed.')).toBeGreaterThan(clientLog.indexOf(`## ${next}`));
    expect(clientLog.indexOf(`## ${pkg.version}`)).toBeGreaterThan(clientLog.indexOf('Retries a watch'));
    const libraryLog = read('CHANGELOG.md');
    expect(libraryLog.indexOf(`## ${next}`)).toBeGreaterThan(0);
    expect(libraryLog.indexOf(`## ${pkg.version}`)).toBeGreaterThan(libraryLog.indexOf(`## ${next}`));

    expect(read('src/generators/sdk-version.ts')).toContain(`SDK_VERSION = '${next}'`);
    for (const file of ['src/models/json-schema.ts', 'README.md', 'examples/spaceships/topology.yaml']) {
      expect(read(file), file).toContain(`@talos-sdk/topology@${next}/`);
      expect(read(file), file).not.toContain(`@talos-sdk/topology@${pkg.version}/`);
    }
  });

  it('the files sync-version.mjs rewrites are every tracked file that names the released version', () => {
    const naming = execFileSync('git', ['grep', '-l', '-F', `@talos-sdk/topology@${pkg.version}/`, '--', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(naming.trim().split('\n').sort()).toEqual(
      ['README.md', 'examples/spaceships/topology.yaml', 'src/models/json-schema.ts'].sort(),
    );
  });
});
