import type { Topology } from '../models/define.js';
import type { Rule, RuleFinding } from './rule.js';

/** Every guest that runs a Docker stack, with whether the stack needs `/dev/net/tun`. */
function dockerHosts(topology: Topology): { guest: string; stack: string; needsTun: boolean }[] {
  return [
    // Omni's own SideroLink WireGuard interface needs the TUN device whatever its sidecar does.
    { guest: topology.omni.host, stack: 'omni', needsTun: true },
    ...Object.entries(topology.providers).map(([id, provider]) => ({
      guest: provider.host,
      stack: `providers.${id}`,
      needsTun: provider.sidecar.mode === 'kernel',
    })),
  ];
}

/**
 * A Docker stack in an unprivileged LXC container needs `nesting` and `keyctl`, and `/dev/net/tun` passed in when
 * Omni or a kernel-mode Tailscale sidecar runs there.
 */
export const lxcDockerHostRule: Rule = {
  id: 'lxc-docker-host',
  severity: 'error',
  description: 'Containers that run a Docker stack have nesting, keyctl and, where needed, /dev/net/tun.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const { guest: name, stack, needsTun } of dockerHosts(topology)) {
      const guest = topology.guests[name];
      if (guest?.type !== 'lxc') continue;
      if (!guest.features.nesting || !guest.features.keyctl) {
        findings.push({
          path: `guests.${name}.features`,
          message: `${stack} runs Docker in this unprivileged container, which needs features nesting and keyctl`,
        });
      }
      if (needsTun && !guest.tun) {
        findings.push({
          path: `guests.${name}.tun`,
          message: `${stack} needs /dev/net/tun (kernel-mode Tailscale or WireGuard); set tun: true, or use sidecar mode userspace`,
        });
      }
    }
    return findings;
  },
};
