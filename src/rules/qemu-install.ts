import type { Rule, RuleFinding } from './rule.js';

/** A VM created without an image or installer has an empty boot disk and nothing to boot. */
export const qemuInstallRule: Rule = {
  id: 'qemu-install',
  severity: 'warning',
  description: 'Every VM names where its operating system comes from (an imported image or an installer ISO).',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const [name, guest] of Object.entries(topology.guests)) {
      if (guest.type === 'qemu' && !guest.install) {
        findings.push({
          path: `guests.${name}.install`,
          message: `a new VM ${guest.vmid} would get an empty boot disk; set install.importFrom (a cloud image) or install.iso (an installer), unless it already exists`,
        });
      }
    }
    return findings;
  },
};
