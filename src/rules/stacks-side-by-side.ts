import { repeats } from '../models/repeats.js';
import type { Rule, RuleFinding } from './rule.js';
import { guestStacks } from './stack-containers.js';

/**
 * Stacks that share a guest can run side by side. Docker refuses a second container with a name already in use on
 * the host, and two kernel-mode tailscaled in the host's namespace fight over the `tailscale0` device and the
 * routing rules and table (52) tailscaled installs there, so at most one sidecar per guest may be kernel mode with
 * host networking (others use userspace mode or the shared namespace).
 */
export const stacksSideBySideRule: Rule = {
  id: 'stacks-side-by-side',
  severity: 'error',
  description:
    'Stacks on one guest have distinct container names, and at most one kernel-mode Tailscale sidecar in the host namespace.',
  check(topology) {
    const stacks = guestStacks(topology);
    const containers = stacks.flatMap((stack) => [
      { host: stack.host, name: stack.app, path: `${stack.path}.host` },
      { host: stack.host, name: stack.sidecar.name, path: `${stack.path}.sidecar.name` },
    ]);
    const findings: RuleFinding[] = repeats(containers, ({ host, name }) => `${host}/${name}`).map(
      ({ item, first }) => ({
        path: item.path,
        message: `container ${item.name} on guest ${item.host} is already the name of ${containers[first]?.path}'s container; Docker refuses a second container of that name: rename the sidecar`,
      }),
    );
    const hostKernel = stacks.filter(({ sidecar }) => sidecar.mode === 'kernel' && sidecar.network === 'host');
    for (const { item, first } of repeats(hostKernel, ({ host }) => host)) {
      findings.push({
        path: `${item.path}.sidecar.mode`,
        message: `guest ${item.host} already runs ${hostKernel[first]?.path}.sidecar in kernel mode in the host's namespace; a second kernel-mode tailscaled there fights over tailscale0 and its routing table: use mode: userspace or network: shared-namespace`,
      });
    }
    return findings;
  },
};
