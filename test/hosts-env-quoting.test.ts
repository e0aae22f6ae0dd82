import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, planHosts } from '../src/clients/hosts/index.js';
import { summarizePlan } from '../src/plan/change.js';
import type { HostsLab } from './hosts-fixtures.js';
import { startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('hosts: .env values reach Compose unchanged', () => {
  it('quotes values with $, " #", spaces, single and double quotes; the plan is a no-op afterwards', async () => {
    lab = await startHostsLab();
    const values = { TS_AUTHKEY: ' ab$cd #x ${HOME} ', PROXMOX_TOKEN_SECRET: `it's "q" #1 \\` };
    const options = lab.options({ env: values });
    const set = lab.artifacts();
    await applyHosts(set, options);

    // Compose's env-file syntax (docs.docker.com/compose/env-file): single quotes are literal, \" and \\ escapes.
    const hollyEnv = await readFile(`${lab.holly.root}/opt/talos-sdk/omni/.env`, 'utf8');
    expect(hollyEnv).toContain(`TS_AUTHKEY=' ab$cd #x \${HOME} '\n`);
    const providerEnv = await readFile(`${lab.ct200.root}/opt/talos-sdk/provider-proxmox/.env`, 'utf8');
    expect(providerEnv).toContain(`PROXMOX_TOKEN_SECRET="it's \\"q\\" #1 \\\\"\n`);
    // What the (fake) Compose read from those files at `up`.
    expect(lab.holly.docker.projectValues.get('omni')?.get('TS_AUTHKEY')).toBe(values.TS_AUTHKEY);
    expect(lab.ct200.docker.projectValues.get('omni-infra-provider-proxmox')?.get('PROXMOX_TOKEN_SECRET')).toBe(
      values.PROXMOX_TOKEN_SECRET,
    );

    expect(summarizePlan(await planHosts(set, options))).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('refuses a value no .env quoting keeps literal, naming only the variable', async () => {
    lab = await startHostsLab();
    const error = await planHosts(lab.artifacts(), lab.options({ env: { TS_AUTHKEY: "a'b$c" } })).catch(
      (caught: unknown) => caught,
    );
    expect(String(error)).toContain('TS_AUTHKEY holds both a single quote');
    expect(String(error)).not.toContain("a'b$c");
  });
});
