/**
 * The GitHub Action's script (scripts/action/run-action.mjs) run as GitHub Actions runs it: a child process with the
 * variables a job step gets, the built CLI, the UniFi and Tailscale emulators as the live systems, and a fake GitHub
 * REST API on loopback. Not GitHub itself: what the script does with what GitHub gives it.
 */
import { spawn } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { FakeGitHubApi } from './action-github-api.js';
import { startFakeGitHubApi } from './action-github-api.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const SCRIPT = fileURLToPath(new URL('../scripts/action/run-action.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/spaceships/topology.yaml', import.meta.url));
const REPOSITORY = 'talos-sdk/lab';
const TOKEN = 'ghs_fakeJobToken0123456789abcdefABCDEF';
const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
const PULL_REQUEST = 7;
const MARKER = '<!-- talos-topology -->';

let cli: BuiltCli;
let tailnet: TailscaleEmulator;
let unifi: UnifiEmulator;
let github: FakeGitHubApi;
let project: string;

beforeAll(async () => {
  [cli, tailnet, unifi, github] = await Promise.all([
    buildCli(),
    startTailnet(),
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
    startFakeGitHubApi(REPOSITORY, TOKEN),
  ]);
  project = await cli.project();
  await copyFile(EXAMPLE, join(project, 'topology.yaml'));
  expect((await cli.run(['generate', 'topology.yaml', '--out', 'out'], { cwd: project })).code).toBe(0);
  // Reviewers' comments before the action's: more than one page of 100.
  github.comments.set(
    PULL_REQUEST,
    Array.from({ length: 130 }, (_, index) => ({ id: index + 1, body: `review ${index}`, user: { login: 'someone' } })),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all([tailnet.close(), unifi.close(), github.close(), cli.remove()]);
});

interface ActionRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly summary: string;
}

/** Runs the script with the variables GitHub Actions sets for a step of a job started by `event`. */
async function runAction(event: unknown, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const eventPath = join(project, '..', 'event.json');
  const summaryPath = join(project, '..', 'step-summary.md');
  await writeFile(eventPath, JSON.stringify(event));
  await rm(summaryPath, { force: true });
  const env = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.url,
    GITHUB_STEP_SUMMARY: summaryPath,
    INPUT_TOPOLOGY: 'topology.yaml',
    INPUT_OUT: 'out',
    INPUT_TARGETS: '',
    INPUT_COMMENT: 'true',
    TALOS_TOPOLOGY_CLI: join(cli.root, 'dist', 'cli', 'main.cjs'),
    TS_API_URL: tailnet.url,
    TS_API_KEY,
    TS_API_FINGERPRINT: tailnet.fingerprint256,
    UNIFI_URL: unifi.url,
    UNIFI_API_KEY,
    UNIFI_FINGERPRINT: unifi.fingerprint256,
    ...inputs,
  };
  const { code, out, err } = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('close', (code) => resolve({ code, out, err }));
  });
  const summary = await readFile(summaryPath, 'utf8').catch(() => '');
  return { code, out, err, summary };
}

function actionComments() {
  return (github.comments.get(PULL_REQUEST) ?? []).filter((comment) => comment.body.includes(MARKER));
}

function expectNoSecret(run: ActionRun): void {
  for (const secret of [TOKEN, UNIFI_API_KEY, TS_API_KEY]) {
    expect(`${run.out}${run.err}${run.summary}`).not.toContain(secret);
    for (const comment of github.comments.get(PULL_REQUEST) ?? []) expect(comment.body).not.toContain(secret);
  }
}

describe('the GitHub Action script', () => {
  it('comments the plan on the pull request once, then edits that comment rather than adding another', async () => {
    const first = await runAction({ pull_request: { number: PULL_REQUEST } });
    expect(first.code, `${first.out}${first.err}`).toBe(0);
    expect(actionComments()).toHaveLength(1);
    const [comment] = actionComments();
    expect(comment!.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(comment!.body).toContain('✅ **validate**: the topology is valid');
    expect(comment!.body).toContain('✅ **check**: `out/` is what the topology generates');
    expect(comment!.body).toContain('✅ **plan**: changes planned (below)');
    expect(comment!.body).toMatch(/^### talos-topology plan \(unifi, tailscale\): 1 to create, 1 to update/m);
    expect(comment!.body).toContain('<details><summary><strong>unifi</strong>: 1 to create');
    expect(comment!.body).toContain('value: (absent) -> "192.168.10.20"');
    // Every page of comments was read (130 reviews: two pages of 100) before creating one.
    expect(github.requests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'GET 200',
      'GET 200',
      'POST 201',
    ]);
    expect(first.out).toContain(`comment created on pull request #${PULL_REQUEST}`);
    expect(first.summary).toBe(comment!.body);
    expectNoSecret(first);

    github.requests.length = 0;
    const second = await runAction({ pull_request: { number: PULL_REQUEST } });
    expect(second.code, `${second.out}${second.err}`).toBe(0);
    expect(actionComments()).toHaveLength(1);
    expect(actionComments()[0]!.id).toBe(comment!.id);
    expect(github.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET /repos/${REPOSITORY}/issues/${PULL_REQUEST}/comments?per_page=100`,
      `GET /repos/${REPOSITORY}/issues/${PULL_REQUEST}/comments?per_page=100&page=2`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${comment!.id}`,
    ]);
    expect(github.comments.get(PULL_REQUEST)).toHaveLength(131);
    expectNoSecret(second);
  }, 60_000);

  it('fails on a stale output folder, and the comment says so and why the plan did not run', async () => {
    const topology = join(project, 'topology.yaml');
    const original = await readFile(topology, 'utf8');
    // A change to the topology that was not generated into out/: the LAN record's TTL.
    const record = '      value: 192.168.10.20\n';
    expect(original).toContain(record);
    await writeFile(topology, original.replace(record, `${record}      ttl: 300\n`));
    try {
      github.requests.length = 0;
      const stale = await runAction({ pull_request: { number: PULL_REQUEST } });
      expect(stale.code).toBe(1);
      const comments = actionComments();
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain(
        '❌ **check**: `out/` is stale: it differs from what the topology generates; run `talos-topology generate --out out` and commit the result',
      );
      expect(comments[0]!.body).toContain('⏭️ **plan**: not run');
      // The diff check printed, in the comment.
      expect(comments[0]!.body).toMatch(
        /<details><summary>check output<\/summary>\n\n```text\n[\s\S]*unifi\/dns-records\.json/,
      );
      expect(github.requests.at(-1)!.method).toBe('PATCH');
      expect(stale.out).toContain('::error::talos-topology: a step failed');
      expectNoSecret(stale);
    } finally {
      await writeFile(topology, original);
    }
  }, 60_000);

  it('outside a pull request writes the job summary only', async () => {
    github.requests.length = 0;
    const push = await runAction({ ref: 'refs/heads/main', head_commit: { id: 'abc' } });
    expect(push.code, `${push.out}${push.err}`).toBe(0);
    expect(github.requests).toEqual([]);
    expect(push.summary).toContain(MARKER);
    expect(push.summary).toContain('<details><summary><strong>tailscale</strong>');
    expect(push.out).toContain('not a pull request: the report is in the job summary only');
    expectNoSecret(push);
  }, 60_000);

  it('fails when the comment cannot be written, naming the answer but never the token', async () => {
    github.requests.length = 0;
    const refused = await runAction({ pull_request: { number: PULL_REQUEST } }, { GITHUB_TOKEN: `${TOKEN}-revoked` });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      `::error::could not write the pull-request comment: GET /repos/${REPOSITORY}/issues/${PULL_REQUEST}/comments answered 401: Bad credentials`,
    );
    expect(`${refused.out}${refused.err}`).not.toContain(TOKEN);
  }, 60_000);
});
