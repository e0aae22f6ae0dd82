import type { ServerWritableStream } from '@grpc/grpc-js';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchRequest, WatchResponse } from '@talos-sdk/omni-client/generated/cosi/state.js';
import { EventType, StateService } from '@talos-sdk/omni-client/generated/cosi/state.js';
import type { OmniClient, WatchEvent } from '../src/clients/omni/index.js';
import { createOmniClient, omniKinds, waitForResources } from '../src/clients/omni/index.js';
import { createTestServiceAccount } from '../src/testing/omni/index.js';

/** A State server whose Watch sends NOOP events around the bootstrap, as Omni may (signatures are not checked). */
let server: Server;
let client: OmniClient;

const status = (id: string) => ({
  metadata: {
    namespace: 'infra-provider',
    type: omniKinds.InfraProviderStatus.type,
    id,
    version: '1',
    owner: '',
    phase: 'running',
    created: undefined,
    updated: undefined,
    finalizers: [],
    labels: {},
    annotations: {},
  },
  spec: { protoSpec: Buffer.alloc(0), yamlSpec: '' },
});

beforeAll(async () => {
  server = new Server();
  server.addService(StateService, {
    watch: (call: ServerWritableStream<WatchRequest, WatchResponse>) => {
      call.write({ event: [{ eventType: EventType.NOOP }] });
      call.write({ event: [{ eventType: EventType.BOOTSTRAPPED }] });
      call.write({
        event: [{ eventType: EventType.NOOP }, { eventType: EventType.CREATED, resource: status('proxmox') }],
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const account = await createTestServiceAccount();
  client = await createOmniClient({
    endpoint: `http://127.0.0.1:${port}`,
    serviceAccountKey: account.serviceAccountKey,
  });
});
afterAll(() => {
  client.close();
  server.forceShutdown();
});

describe('watch', () => {
  it('skips NOOP events instead of reporting the watch as failed', async () => {
    const events: WatchEvent<unknown>[] = [];
    for await (const event of client.watch(omniKinds.InfraProviderStatus, { timeoutMs: 5_000 })) {
      events.push(event);
      if (event.type === 'created') break;
    }
    expect(events.map((event) => event.type)).toEqual(['bootstrapped', 'created']);
  });

  it('lets a wait finish across NOOP events', async () => {
    const statuses = await waitForResources(
      client,
      omniKinds.InfraProviderStatus,
      {},
      (resources) => resources.has('proxmox'),
      5_000,
      'the proxmox provider',
    );
    expect([...statuses.keys()]).toEqual(['proxmox']);
  });
});
