import { randomBytes } from 'node:crypto';
import { omniKinds } from '@talos-sdk/omni-client';
import {
  createTestServiceAccount,
  PROVIDER_HEARTBEAT_INTERVAL_MS,
  seedInfraProviderHeartbeat,
  seedInfraProviderStatus,
  startOmniEmulator,
  startProxmoxEmulator,
  startUnifiEmulator,
} from '../../testing/index.js';
import type { OmniEmulator } from '../../testing/index.js';
import type { Output } from '../output.js';
import { printOk } from '../output.js';
import type { CommandRun } from '../context.js';

/** How often `emulate` looks for infra providers that apply registered, in milliseconds. */
const PROVIDER_POLL_MS = 200;

/** How long the emulated Omni accepts the printed service-account key: a week of trying things out. */
const KEY_LIFETIME_SECONDS = 7 * 24 * 3600;

/** The variables `emulate` prints, in the order the README's credentials table names them. */
export type EmulatorEnvironment = Readonly<Record<string, string>>;

/** The signal that ends `emulate`: the first Ctrl-C (SIGINT) or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Plays the part of each infra provider stack the user would start once `apply --target omni` registered it: as soon
 * as `InfraProviders/<id>` exists, the provider's status and a heartbeat appear, and the heartbeat is renewed every
 * 30 s, as a running provider does (Omni's `InfraProviderHealthCheckInterval`).
 */
function connectRegisteredProviders(omni: OmniEmulator): () => void {
  const connected = new Set<string>();
  const poll = setInterval(() => {
    for (const { metadata } of omni.state.list(omniKinds.InfraProvider)) {
      if (connected.has(metadata.id)) continue;
      connected.add(metadata.id);
      seedInfraProviderStatus(omni.state, metadata.id);
    }
  }, PROVIDER_POLL_MS);
  const beat = setInterval(() => {
    for (const id of connected) seedInfraProviderHeartbeat(omni.state, id);
  }, PROVIDER_HEARTBEAT_INTERVAL_MS);
  return () => {
    clearInterval(poll);
    clearInterval(beat);
  };
}

/** A random credential for one emulator run. */
function credential(): string {
  return randomBytes(18).toString('base64url');
}

/** A value quoted for a POSIX shell. */
function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `talos-topology emulate`: starts the Omni, Proxmox VE and UniFi emulators on 127.0.0.1 with fresh test
 * credentials, prints the variables `plan` and `apply` read (as `export` lines, or one JSON object with `--json`),
 * connects every infra provider apply registers, and runs until Ctrl-C.
 *
 * @param output - Where to print.
 * @param json - Print the variables as one JSON object.
 * @param until - Resolves when the emulators should stop. Defaults to the first SIGINT or SIGTERM.
 * @returns Exit code 0 once stopped.
 */
export async function runEmulate(output: Output, json: boolean, until: Promise<void> = interrupted()): Promise<0> {
  const admin = await createTestServiceAccount('emulate', KEY_LIFETIME_SECONDS);
  const rootPassword = credential();
  const apiKey = credential();
  const omni = await startOmniEmulator();
  const proxmox = await startProxmoxEmulator({ rootPassword });
  const unifi = await startUnifiEmulator({ apiKey });
  const disconnect = connectRegisteredProviders(omni);
  try {
    await omni.registerPublicKey(admin.armoredPublicKey, { role: 'Admin', name: admin.name });
    const env: EmulatorEnvironment = {
      OMNI_ENDPOINT: omni.endpoint,
      OMNI_SERVICE_ACCOUNT_KEY: admin.serviceAccountKey,
      PROXMOX_URL: proxmox.url,
      PROXMOX_ROOT_PASSWORD: rootPassword,
      PROXMOX_FINGERPRINT: proxmox.fingerprint256,
      UNIFI_URL: unifi.url,
      UNIFI_API_KEY: apiKey,
      UNIFI_FINGERPRINT: unifi.fingerprint256,
    };
    if (json) printOk(output, { environment: env });
    else {
      output.out(
        Object.entries(env)
          .map(([name, value]) => `export ${name}=${shellQuoted(value)}`)
          .join('\n'),
      );
    }
    output.err(
      'emulators of Omni, Proxmox VE (nodes foxtrot, golf, hotel) and UniFi on 127.0.0.1; the credentials above are ' +
        'their own, valid until they stop. Infra providers connect as soon as apply registers them. Ctrl-C to stop.',
    );
    await until;
    return 0;
  } finally {
    disconnect();
    await Promise.all([omni.close(), proxmox.close(), unifi.close()]);
  }
}

/**
 * `emulate`: the three emulators on loopback until Ctrl-C, and the variables to export (`--json`:
 * `{ "ok": true, "environment": { ... } }`).
 *
 * @param context - The command line and the surroundings.
 * @returns 0 once interrupted.
 */
export const runEmulateCommand: CommandRun = ({ args, env }) => runEmulate(env.output, args.json);
