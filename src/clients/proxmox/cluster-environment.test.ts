import { describe, expect, it } from 'vitest';
import { proxmoxClusterEnvironment, proxmoxClusterSuffix } from './credentials.js';

describe('proxmoxClusterEnvironment', () => {
  it("puts a cluster's own PROXMOX_*__<CLUSTER> variables in place of the shared ones, for that cluster only", () => {
    const env = {
      PROXMOX_URL: 'https://shared:8006',
      PROXMOX_ROOT_PASSWORD: 'shared',
      PROXMOX_URL__MATRIX: 'https://matrix:8006',
      PROXMOX_ADMIN_TOKEN_SECRET_FILE__LAB_2: '/run/secrets/lab-2',
      HOME: '/root',
    };
    expect(proxmoxClusterEnvironment(env, 'matrix')).toMatchObject({
      PROXMOX_URL: 'https://matrix:8006',
      PROXMOX_ROOT_PASSWORD: 'shared',
      HOME: '/root',
    });
    expect(proxmoxClusterEnvironment(env, 'lab-2')).toMatchObject({
      PROXMOX_URL: 'https://shared:8006',
      PROXMOX_ADMIN_TOKEN_SECRET_FILE: '/run/secrets/lab-2',
    });
    expect(proxmoxClusterEnvironment(env, 'quantum')).toBe(env);
    expect(proxmoxClusterSuffix('lab-2.home')).toBe('LAB_2_HOME');
  });
});
