import type { Rule, RuleFinding } from './rule.js';
import { stackHosts } from './topology-facts.js';

/**
 * A VM that imports a cloud image and runs a stack must let someone log in: the image's default user (Debian
 * genericcloud's `debian`) has no password and no key, so without cloud-init `sshkeys` or `cipassword` (qemu-server
 * `Cloudinit.pm`) nobody can install Docker and start the stack. An installer ISO sets its own user, and a container
 * is reachable with `pct enter` on its node, so neither is checked.
 */
export const guestLoginRule: Rule = {
  id: 'guest-login',
  severity: 'error',
  description: 'VMs that import a cloud image and run a stack have a cloud-init SSH key or password.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const [name, stack] of stackHosts(topology)) {
      const guest = topology.guests[name];
      if (guest?.type !== 'qemu' || !guest.install || !('importFrom' in guest.install)) continue;
      if ((guest.cloudInit?.sshKeys.length ?? 0) > 0 || guest.cloudInit?.password) continue;
      findings.push({
        path: `guests.${name}.cloudInit`,
        message: `${stack} runs on this VM, imported from ${guest.install.importFrom}, whose default user has no password and no key: set cloudInit.sshKeys (public keys) or cloudInit.password ({ env }) so someone can log in to start the stack`,
      });
    }
    return findings;
  },
};
