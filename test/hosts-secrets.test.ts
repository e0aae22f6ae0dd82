import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, planHosts } from '../src/clients/hosts/index.js';
import { formatPlan, planToJson } from '../src/plan/format.js';
import type { HostsLab } from './hosts-fixtures.js';
import { SECRETS, startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('hosts: secrets', () => {
  it('appear in no plan, progress message, result, command sent or error; only in the 0600 .env on the host', async () => {
    lab = await startHostsLab();
    const seen: string[] = [];
    const options = lab.options({ onProgress: (m) => seen.push(m), onWarning: (m) => seen.push(m) });
    const set = lab.artifacts();
    const plan = await planHosts(set, options);
    seen.push(formatPlan(plan), JSON.stringify(planToJson(plan)));
    const result = await applyHosts(set, options);
    seen.push(JSON.stringify(result), formatPlan(result.plan));
    const rotated = { TS_AUTHKEY: SECRETS.TS_AUTHKEY, PROXMOX_TOKEN_SECRET: 'rotated-secret-value-0123456789' };
    seen.push(formatPlan(await planHosts(set, lab.options({ env: rotated }))));
    await writeFile(`${lab.ct200.root}/opt/talos-sdk/provider-proxmox/provider-config.yaml`, 'edited\n');
    seen.push(String(await applyHosts(set, lab.options({ env: rotated })).catch((e: unknown) => e)));
    seen.push(...lab.holly.record.execs, ...lab.ct200.record.execs);
    for (const call of [...lab.holly.docker.invocations, ...lab.ct200.docker.invocations])
      seen.push(call.args.join(' '));
    const text = seen.join('\n');
    for (const secret of [...Object.values(SECRETS), rotated.PROXMOX_TOKEN_SECRET]) expect(text).not.toContain(secret);
    expect(text).toContain('PROXMOX_TOKEN_SECRET');
  });
});
