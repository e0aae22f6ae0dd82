/**
 * Saved plans, approval and exit codes of `plan` and `apply`, in-process against the Proxmox and UniFi emulators over
 * real sockets: `plan --save` then `apply FILE` applies exactly the plan, and refuses when `--out` or the live state
 * changed since; `apply` shows the plan and asks, and applies nothing unless the answer is `yes`.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import singleSite from '../examples/single-site/topology.js';
import { runCli } from '../src/cli/run.js';
import { generate } from '../src/generators/generate.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
const TOKEN_ID = 'omni-provider@pve!omni';
/** An administrator's API token: a token never acts as root@pam, so root-only steps need --skip-root-only. */
const ADMIN_TOKEN = { tokenId: 'root@pam!sdk', secret: '5f0c2a6e-0000-4000-8000-00000000beef' };
let dir: string;
let out: string;
let unifi: UnifiEmulator;
let pve: ProxmoxEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-saved-plan-'));
  out = join(dir, 'out');
  [unifi, pve] = await Promise.all([
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
    startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, tokens: [ADMIN_TOKEN], taskDurationMs: 5 }),
  ]);
  env = {
    UNIFI_URL: unifi.url,
    UNIFI_API_KEY,
    UNIFI_FINGERPRINT: unifi.fingerprint256,
    PROXMOX_URL: pve.url,
    PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD,
    PROXMOX_FINGERPRINT: pve.fingerprint256,
  };
  await writeArtifacts(generate(spaceships), out);
});
afterEach(async () => {
  await Promise.all([unifi.close(), pve.close()]);
  await rm(dir, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<CliResult> {
  return runCliWith(env, ...argv);
}

/** Runs the CLI as on a terminal where the person answers `answer`, recording the questions asked. */
async function answering(answer: string, ...argv: string[]): Promise<CliResult & { questions: string[] }> {
  const questions: string[] = [];
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    output: { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) },
    env,
    ask: async (question) => {
      questions.push(question);
      return answer;
    },
  });
  return { code, out: stdout, err: stderr, questions };
}

/** The UniFi DNS records as the gateway holds them. */
function records(): string[] {
  return unifi.state.dnsRecords.map((record) => `${record.key} ${record.value}`);
}

const HAND_MADE = {
  _id: 'hand-made',
  site_id: 'site-default',
  key: 'omni.spaceships.work',
  record_type: 'A',
  value: '192.168.10.99',
  ttl: 0,
  enabled: true,
};

describe('plan --save and apply FILE', () => {
  it('applies exactly the saved plan across targets, with the options it was made with, asking nothing', async () => {
    const planFile = join(dir, 'plan.json');
    const secretFile = join(dir, 'token-secret');
    const plan = await cli(
      'plan',
      '--cluster',
      'matrix',
      '--token-secret-file',
      secretFile,
      '--out',
      out,
      '--save',
      planFile,
    );
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toContain(
      `saved the plan to ${planFile}; apply exactly it with: talos-topology apply ${planFile}`,
    );
    expect((await stat(planFile)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    expect(saved).toMatchObject({
      format: 'talos-topology/saved-plan',
      version: 1,
      selection: { nodes: ['proxmox:matrix', 'unifi'], cluster: 'matrix' },
      options: { 'token-secret-file': secretFile, cluster: 'matrix', adopt: false },
    });
    expect(saved.nodes.map((node: { node: string }) => node.node)).toEqual(['proxmox:matrix', 'unifi']);
    expect(records()).toEqual([]);

    // No --yes and nobody to ask: the saved plan is the approval. Its --token-secret-file is used.
    const apply = await cli('apply', planFile, '--out', out, '--no-color');
    expect(apply.code, `${apply.out}${apply.err}`).toBe(0);
    expect(apply.out).toMatch(/^ {2}total: 2 applied, 0 failed, 0 not attempted$/m);
    expect(records()).toEqual(['omni.spaceships.work 192.168.10.20']);
    expect(pve.state.tokens.has(TOKEN_ID)).toBe(true);
    expect(await readFile(secretFile, 'utf8')).toBe(`${pve.state.tokens.get(TOKEN_ID)!.secret}\n`);
    const again = await cli(
      'plan',
      '--cluster',
      'matrix',
      '--token-secret-file',
      secretFile,
      '--out',
      out,
      '--detailed-exitcode',
    );
    expect(again.code, again.out).toBe(0);

    // The options of a saved plan are its own: giving one again is a usage error.
    const usage = await cli('apply', planFile, '--out', out, '--adopt');
    expect(usage).toMatchObject({ code: 1, err: expect.stringContaining(`apply ${planFile} plans and applies with`) });
    expect(usage.err).toContain('drop --adopt');
  });

  it('with one --target too, and saves no secret of a token-secret change', async () => {
    const secretFile = join(dir, 'token-secret');
    const target = ['--target', 'proxmox', '--cluster', 'matrix', '--token-secret-file', secretFile];
    expect((await cli('apply', '--yes', ...target, '--out', out)).code).toBe(0);
    const first = pve.state.tokens.get(TOKEN_ID)!.secret;
    // The secret is lost: the plan has a token-secret change, which names where the secret goes, never the secret.
    await rm(secretFile);
    const lost = join(dir, 'lost.json');
    expect((await cli('plan', ...target, '--out', out, '--save', lost)).code).toBe(0);
    const text = await readFile(lost, 'utf8');
    expect(text).toContain('"kind": "token-secret"');
    for (const secret of [first, ROOT_PASSWORD, UNIFI_API_KEY]) expect(text).not.toContain(secret);
    // Regenerating replaces the token; the saved plan's --regenerate-token and --token-secret-file are used.
    const planFile = join(dir, 'regenerate.json');
    const plan = await cli('plan', ...target, '--regenerate-token', '--out', out, '--save', planFile, '--json');
    expect(plan.code, plan.out).toBe(0);
    expect(JSON.parse(plan.out)).toMatchObject({ ok: true, savedPlan: planFile });
    expect(await readFile(planFile, 'utf8')).not.toContain(first);

    const apply = await cli('apply', planFile, '--out', out, '--json');
    expect(apply.code, apply.out).toBe(0);
    const second = pve.state.tokens.get(TOKEN_ID)!.secret;
    expect(second).not.toBe(first);
    expect(await readFile(secretFile, 'utf8')).toBe(`${second}\n`);
    expect(`${apply.out}${apply.err}`).not.toContain(second);
  });

  it('refuses when the artifacts in --out changed since the plan was saved, changing nothing', async () => {
    const planFile = join(dir, 'plan.json');
    expect((await cli('plan', '--target', 'unifi', '--out', out, '--save', planFile)).code).toBe(0);
    await writeArtifacts(generate(singleSite), out);
    const apply = await cli('apply', planFile, '--out', out, '--json');
    expect(apply.code).toBe(1);
    expect(JSON.parse(apply.out)).toEqual({
      ok: false,
      error: {
        kind: 'refused',
        message: `the artifacts changed since the plan was saved in ${planFile}: plan again`,
      },
    });
    expect(records()).toEqual([]);
  });

  it('refuses a stale plan, naming the node whose live state changed, before changing anything', async () => {
    const planFile = join(dir, 'plan.json');
    const plan = await cli('plan', '--cluster', 'matrix', '--out', out, '--save', planFile, '--token-secret-file', 'x');
    expect(plan.code, plan.err).toBe(0);
    // Someone makes the record by hand between plan and apply: the plan would now adopt it, not create it.
    unifi.state.dnsRecords.push({ ...HAND_MADE });
    const apply = await cli('apply', planFile, '--out', out);
    expect(apply.code).toBe(1);
    expect(apply.err).toBe(
      `talos-topology: the plan in ${planFile} is stale: the live state of unifi changed since it was saved; plan again\n`,
    );
    // Nothing was applied, not even Proxmox, whose live state did not change.
    expect(records()).toEqual(['omni.spaceships.work 192.168.10.99']);
    expect(pve.state.tokens.has(TOKEN_ID)).toBe(false);
  });

  it('refuses a missing plan file, naming it', async () => {
    const missing = join(dir, 'none.json');
    const apply = await cli('apply', missing, '--out', out);
    expect(apply).toMatchObject({
      code: 1,
      err: `talos-topology: cannot read the saved plan ${missing}: no such file\n`,
    });
  });

  it('does not save a plan that failed', async () => {
    const planFile = join(dir, 'plan.json');
    const broken = { ...env, UNIFI_API_KEY: 'wrong-key-0000000000' };
    const plan = await runCliWith(broken, 'plan', '--target', 'unifi', '--out', out, '--save', planFile);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain(`the plan was not saved to ${planFile}: a plan failed`);
    await expect(stat(planFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('apply asks first', () => {
  it('shows the plan, asks, and applies nothing when the answer is not yes (one target and several)', async () => {
    for (const narrow of [
      ['--target', 'unifi'],
      ['--target', 'unifi', '--target', 'proxmox', '--cluster', 'matrix'],
    ]) {
      const declined = await answering(
        'no',
        'apply',
        ...narrow,
        '--out',
        out,
        '--token-secret-file',
        'x',
        '--no-color',
      );
      expect(declined.code).toBe(1);
      expect(declined.out).toContain('+ omni.spaceships.work A');
      expect(declined.questions).toEqual(['Do you want to apply these changes? Only "yes" approves: ']);
      expect(declined.err).toContain('apply cancelled');
      expect(records()).toEqual([]);
      expect(pve.state.tokens.has(TOKEN_ID)).toBe(false);
    }
    const json = await answering('n', 'apply', '--target', 'unifi', '--out', out, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, cancelled: true, target: 'unifi' });
    expect(records()).toEqual([]);
  });

  it('applies when the answer is yes, then finds nothing to change and asks nothing', async () => {
    const approved = await answering('yes', 'apply', '--target', 'unifi', '--out', out);
    expect(approved.code).toBe(0);
    expect(approved.out).toContain('applied 1 change');
    expect(records()).toEqual(['omni.spaceships.work 192.168.10.20']);
    // One target, and every target with credentials (only UniFi's here) through the orchestration.
    const one = await answering('yes', 'apply', '--target', 'unifi', '--out', out);
    expect(one).toMatchObject({ code: 0, questions: [], out: expect.stringContaining('no changes: nothing to apply') });
    env = { UNIFI_URL: unifi.url, UNIFI_API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const all = await answering('yes', 'apply', '--out', out, '--json');
    expect(all).toMatchObject({ code: 0, questions: [] });
    expect(JSON.parse(all.out)).toMatchObject({ ok: true, noChanges: true, targets: [{ node: 'unifi' }] });
  });

  it('refuses without --yes when there is nobody to ask (exit 1, kind refused), naming the flag', async () => {
    const refused = await cli('apply', '--target', 'unifi', '--out', out, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({
      ok: false,
      error: { kind: 'refused', message: expect.stringContaining('pass --yes (or --auto-approve)') },
    });
    expect(records()).toEqual([]);
  });
});

describe('exit codes', () => {
  it('plan exits 0 with changes, 2 only with --detailed-exitcode, for one target and several', async () => {
    for (const narrow of [
      ['--target', 'unifi'],
      ['--cluster', 'matrix'],
    ]) {
      expect((await cli('plan', ...narrow, '--out', out, '--token-secret-file', 'x')).code).toBe(0);
      const detailed = await cli('plan', ...narrow, '--out', out, '--token-secret-file', 'x', '--detailed-exitcode');
      expect(detailed.code).toBe(2);
    }
    expect((await cli('apply', '--yes', '--target', 'unifi', '--out', out)).code).toBe(0);
    expect((await cli('plan', '--target', 'unifi', '--out', out, '--detailed-exitcode')).code).toBe(0);
  });

  it('apply exits 2 when any change was skipped (a root@pam step, not only an adoption), for one target and several', async () => {
    const asToken = Object.entries(env).filter(([name]) => name !== 'PROXMOX_ROOT_PASSWORD');
    env = Object.fromEntries([
      ...asToken,
      ['PROXMOX_ADMIN_TOKEN_ID', ADMIN_TOKEN.tokenId],
      ['PROXMOX_ADMIN_TOKEN_SECRET', ADMIN_TOKEN.secret],
    ]);
    const proxmox = ['--target', 'proxmox', '--cluster', 'matrix', '--out', out, '--token-secret-file', join(dir, 's')];
    const one = await cli('apply', '--yes', ...proxmox, '--skip-root-only');
    expect(one.code, one.err).toBe(2);
    expect(one.err).toMatch(/^skipped: /m);
    // Across targets: the root@pam steps are still left for a person, and the hand-made record is not adopted.
    unifi.state.dnsRecords.push({ ...HAND_MADE });
    const several = await cli('apply', '--yes', ...proxmox, '--skip-root-only', '--target', 'unifi', '--json');
    expect(several.code, several.out).toBe(2);
    expect(JSON.parse(several.out)).toMatchObject({ ok: true, summary: { applied: 2, failed: 0, notAttempted: 0 } });
    expect(records()).toEqual(['omni.spaceships.work 192.168.10.99']);
  });
});
