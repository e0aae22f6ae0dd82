/**
 * How many round trips a hosts apply waits one after the other: on a network with latency, the files of a host go out
 * side by side over one SFTP session instead of one after another.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts } from '../src/clients/hosts/index.js';
import { sequentialRoundTrips } from '../src/testing/round-trips.js';
import type { HostsLab } from './hosts-fixtures.js';
import { startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('hosts: delivering a stack over a slow network', () => {
  it("uploads a host's files side by side: the round trips of one file, not of each in turn", async () => {
    lab = await startHostsLab({ ct200: { latencyMs: 30 } });
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    const ct200 = lab.ct200;
    // CT 200's stack: compose.yaml, .env.example, provider-config.yaml, the .env values and the stack manifest, each
    // opened, written and closed.
    expect(ct200.record.writtenFiles).toHaveLength(5);
    expect(ct200.record.sftpRequests).toBe(15);
    // One probe, the folder, the uploads, the commit, compose up and compose ps. The uploads take open, write and close
    // (ssh2 staggers some requests: up to 5 here), where one file at a time takes 15 (20 in all).
    expect(sequentialRoundTrips(ct200.roundTrips.trips)).toBeLessThanOrEqual(11);
    const compose = set.artifacts.find((artifact) => artifact.path === 'hosts/ct-200/provider-proxmox/compose.yaml');
    expect(await readFile(`${ct200.root}/opt/talos-sdk/provider-proxmox/compose.yaml`, 'utf8')).toBe(compose?.content);
  });
});
