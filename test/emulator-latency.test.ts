/**
 * Injected latency and the round-trip log of every emulator: each request waits the latency before it is handled,
 * Proxmox tasks run that much longer, and the log counts round trips and tells overlapping ones from sequential ones.
 */
import { describe, expect, it, vi } from 'vitest';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { createOmniClient, omniKinds } from '../src/clients/omni/index.js';
import { HostConnection } from '../src/clients/hosts/client.js';
import { createTestServiceAccount, startOmniEmulator } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import type { RoundTrip } from '../src/testing/round-trips.js';
import { longestRoundTripChain, sequentialRoundTrips } from '../src/testing/round-trips.js';
import { generateSshKeyPair, startSshEmulator } from '../src/testing/ssh/index.js';

const LATENCY_MS = 120;

describe('sequentialRoundTrips', () => {
  const trip = (startedAt: number, endedAt: number): RoundTrip => ({ startedAt, endedAt });
  it('counts round trips sent side by side once, and those sent after an answer each', () => {
    expect(sequentialRoundTrips([])).toBe(0);
    expect(sequentialRoundTrips([trip(0, 20), trip(1, 21), trip(2, 22)])).toBe(1);
    expect(sequentialRoundTrips([trip(0, 20), trip(20, 40), trip(41, 60)])).toBe(3);
    // A long request beside a chain of three short ones: the chain is the longest.
    expect(sequentialRoundTrips([trip(0, 100), trip(0, 20), trip(25, 45), trip(50, 70), trip(101, 120)])).toBe(4);
  });

  it('gives the chain itself, in order, ending as early as a chain of that length can', () => {
    expect(longestRoundTripChain([])).toEqual([]);
    const chain = [trip(0, 20), trip(25, 45), trip(50, 70), trip(101, 120)];
    expect(longestRoundTripChain([chain[3]!, trip(0, 100), chain[1]!, chain[0]!, chain[2]!])).toEqual(chain);
    // Two chains of two: the one whose last answer came first.
    expect(longestRoundTripChain([trip(0, 10), trip(12, 40), trip(0, 5), trip(6, 30)])).toEqual([
      trip(0, 5),
      trip(6, 30),
    ]);
  });
});

describe('latency injected into the emulators', () => {
  it('Proxmox: every request waits it, every task runs it longer, and each request is a round trip', async () => {
    const pve = await startProxmoxEmulator({
      rootPassword: 'emulated-root-password',
      nodes: ['quantum-1'],
      taskDurationMs: 0,
      faults: { latencyMs: LATENCY_MS },
    });
    const client = new ProxmoxClient({
      url: pve.url,
      credentials: { kind: 'password', username: 'root@pam', password: 'emulated-root-password' },
      tls: { ca: pve.caPem },
      taskPollMs: 5,
    });
    try {
      const started = performance.now();
      await Promise.all([client.version(), client.get('/nodes')]);
      // The ticket first, then both reads side by side.
      expect(performance.now() - started).toBeGreaterThanOrEqual(2 * LATENCY_MS - 5);
      expect(sequentialRoundTrips(pve.roundTrips.trips)).toBe(2);
      expect(pve.roundTrips.trips[0]?.label).toBe('POST /api2/json/access/ticket');
      const upid = await client.request<string>('POST', '/nodes/quantum-1/qemu', { form: { vmid: 150 } });
      const answered = Date.now();
      // Created after the request's own latency, it runs that long again on top of its duration (0 here).
      expect(pve.state.tasks.get(upid)!.endsAt - answered).toBeGreaterThan(LATENCY_MS / 2);
      await client.waitForTask(upid);
      expect(pve.roundTrips.count).toBe(pve.state.requests.length);
    } finally {
      await client.close();
      await pve.close();
    }
  });

  it('Omni: every call waits it, and each call is a round trip', async () => {
    const omni = await startOmniEmulator({ faults: { latencyMs: LATENCY_MS } });
    const account = await createTestServiceAccount();
    await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
    const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
    try {
      const started = performance.now();
      await Promise.all([client.list(omniKinds.MachineClass), client.list(omniKinds.Cluster)]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 5);
      expect(omni.roundTrips.count).toBe(2);
      expect(sequentialRoundTrips(omni.roundTrips.trips)).toBe(1);
      expect(omni.roundTrips.trips.map((each) => each.label).sort()).toEqual([
        '/cosi.resource.State/List Clusters.omni.sidero.dev',
        '/cosi.resource.State/List MachineClasses.omni.sidero.dev',
      ]);

      // A Watch answers with its messages: a call made on the event it waited for comes after it, although the
      // Watch's cancel reaches the emulator later still.
      omni.roundTrips.reset();
      for await (const event of client.watch(omniKinds.MachineClass)) {
        if (event.type !== 'bootstrapped') continue;
        await client.list(omniKinds.Cluster);
        break;
      }
      // The Watch's round trip is recorded once the emulator has seen the cancel.
      await vi.waitFor(() => expect(omni.roundTrips.trips).toHaveLength(2));
      expect(sequentialRoundTrips(omni.roundTrips.trips)).toBe(2);
    } finally {
      client.close();
      await omni.close();
    }
  });

  it('SSH: every command and SFTP request waits it, and each is a round trip', async () => {
    const key = generateSshKeyPair();
    const host = await startSshEmulator({ user: 'root', authorizedKeys: [key.public], latencyMs: LATENCY_MS });
    const connection = await HostConnection.open(
      {
        guest: 'ct-200',
        address: host.host,
        port: host.port,
        user: 'root',
        hostKey: { fingerprint: host.fingerprint },
      },
      { credentials: { privateKey: key.private, knownHostsFile: '/nonexistent/known_hosts' } },
    );
    try {
      // The command itself starts only once the latency has passed.
      const command = 'date +%s%3N';
      const sent = Date.now();
      const startedAt = Number(await connection.run(command, 'clock'));
      expect(startedAt - sent).toBeGreaterThanOrEqual(LATENCY_MS - 5);
      await connection.upload(`${host.root}/file`, 'content', 0o644);
      // The command, then open, write and close over SFTP, one after the other.
      expect(host.roundTrips.count).toBe(4);
      expect(sequentialRoundTrips(host.roundTrips.trips)).toBe(4);
      expect(host.roundTrips.trips.map((each) => each.label)).toEqual([
        command,
        'sftp OPEN',
        'sftp WRITE',
        'sftp CLOSE',
      ]);
    } finally {
      connection.close();
      await host.close();
    }
  });
});
