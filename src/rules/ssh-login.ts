import { sshLoginUser } from '../models/ssh-login.js';
import type { Rule, RuleFinding } from './rule.js';
import { stackHosts } from './topology-facts.js';

/**
 * The SSH user of a guest that runs a stack is the one its declared keys log in: a container's `ssh-public-keys` go
 * to root's `authorized_keys` only (pve-container `create_rootfs`), and cloud-init gives a VM's `sshkeys` to
 * `ciuser` only (qemu-server `Cloudinit.pm`). Another user has no key the topology knows of, so `apply --target
 * hosts` could not log in until someone adds one by hand.
 */
export const sshLoginRule: Rule = {
  id: 'ssh-login',
  severity: 'warning',
  description: 'The SSH user of a guest that runs a stack is the one its declared keys are given to.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const [name, stack] of stackHosts(topology)) {
      const guest = topology.guests[name];
      if (!guest?.ssh.user) continue;
      const keyHolder = sshLoginUser({ ...guest, ssh: {} });
      const hasKeys = guest.type === 'lxc' ? guest.sshKeys.length > 0 : (guest.cloudInit?.sshKeys.length ?? 0) > 0;
      if (!hasKeys || guest.ssh.user === keyHolder) continue;
      findings.push({
        path: `guests.${name}.ssh.user`,
        message: `${stack} is delivered over SSH as ${guest.ssh.user}, but the guest's declared keys are given to ${keyHolder}: log in as ${keyHolder} or install a key for ${guest.ssh.user} yourself`,
      });
    }
    return findings;
  },
};
