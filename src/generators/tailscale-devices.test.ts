import { describe, expect, it } from 'vitest';
import { singleSiteInput, spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { tailscaleDevicesArtifact } from './tailscale-devices.js';

describe('tailscaleDevicesArtifact', () => {
  it("declares every sidecar's node with its tags, no key expiry, Omni's address and where its auth key lands", () => {
    const artifact = tailscaleDevicesArtifact(defineTopology(spaceshipsInput()));
    expect(artifact.path).toBe('tailscale/devices.json');
    expect(JSON.parse(artifact.content)).toEqual({
      devices: [
        {
          authKey: { env: 'TS_AUTHKEY', envFile: 'hosts/holly/omni/.env' },
          hostname: 'omni',
          ipv4: '100.101.12.20',
          keyExpiryDisabled: true,
          stack: 'hosts/holly/omni',
          tags: ['tag:omni'],
        },
        {
          authKey: { env: 'TS_AUTHKEY', envFile: 'hosts/ct-200/provider-proxmox/.env' },
          hostname: 'omni-provider',
          keyExpiryDisabled: true,
          stack: 'hosts/ct-200/provider-proxmox',
          tags: ['tag:pve-infra'],
        },
      ],
      tailnet: expect.stringMatching(/\.ts\.net$/),
      topology: 'spaceships',
    });
  });

  it('gives no ipv4 without omni.tailnetAddress and is byte-identical run after run', () => {
    const input = spaceshipsInput();
    delete (input.omni as { tailnetAddress?: string }).tailnetAddress;
    const devices = JSON.parse(tailscaleDevicesArtifact(defineTopology(input)).content) as {
      devices: { ipv4?: string }[];
    };
    expect(devices.devices.every((device) => device.ipv4 === undefined)).toBe(true);
    const again = () => tailscaleDevicesArtifact(defineTopology(singleSiteInput())).content;
    expect(again()).toBe(again());
  });
});
