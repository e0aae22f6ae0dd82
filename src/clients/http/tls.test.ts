import { describe, expect, it } from 'vitest';
import { HttpClient } from './client.js';
import { createTlsAgent } from './tls.js';

const FINGERPRINT = 'AB:'.repeat(31) + 'AB';

describe('TLS options', () => {
  it('refuses insecureSkipVerify together with a pinned fingerprint instead of dropping the pin', () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) };
    expect(() =>
      createTlsAgent('https://pve.example:8006', { insecureSkipVerify: true, fingerprint256: FINGERPRINT }, logger),
    ).toThrow(/both insecureSkipVerify and fingerprint256.*would ignore the pin/);
    expect(
      () =>
        new HttpClient({
          baseUrl: 'https://pve.example:8006',
          tls: { insecureSkipVerify: true, fingerprint256: FINGERPRINT },
          logger,
        }),
    ).toThrow(/drop insecureSkipVerify/);
    expect(warnings).toEqual([]);
  });
});
