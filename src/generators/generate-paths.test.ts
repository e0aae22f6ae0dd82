import { describe, expect, it, vi } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { createArtifact } from './artifact.js';
import { InternalArtifactError } from './artifact-path.js';
import { generate } from './generate.js';

// A generator with a bug: the Tailscale policy lands on the UniFi DNS records' path.
vi.mock('./tailscale-policy.js', () => ({
  tailscalePolicyArtifact: () => createArtifact('unifi/dns-records.json', 'tailscale-policy', '{}'),
}));

describe('generate', () => {
  it('refuses two artifacts on one path as an internal error naming both generators', () => {
    const run = () => generate(defineTopology(spaceshipsInput()));
    expect(run).toThrow(InternalArtifactError);
    expect(run).toThrow(
      'internal error: artifact "unifi/dns-records.json" is produced twice: by unifi-dns (unifi-dns-records) and by tailscale-policy (tailscale-policy); nothing was written',
    );
  });
});
