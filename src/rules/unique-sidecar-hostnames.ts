import { repeats } from '../models/repeats.js';
import type { Rule, RuleFinding } from './rule.js';

/**
 * Every Tailscale sidecar reports its own host name. The tailnet tells nodes apart by it only loosely: a second node
 * with a taken name joins as `<name>-1` in MagicDNS while reporting the same `hostname`, and the Tailscale target finds
 * a sidecar's node by that `hostname`, so two sidecars with one name would be managed as one node.
 */
export const uniqueSidecarHostnamesRule: Rule = {
  id: 'unique-sidecar-hostnames',
  severity: 'error',
  description: "Each Tailscale sidecar (Omni's and every provider's) has its own hostname.",
  check(topology) {
    const sidecars: [string, string][] = [
      ['omni.sidecar.hostname', topology.omni.sidecar.hostname],
      ...Object.entries(topology.providers).map(([id, provider]): [string, string] => [
        `providers.${id}.sidecar.hostname`,
        provider.sidecar.hostname,
      ]),
    ];
    return repeats(sidecars, ([, hostname]) => hostname.toLowerCase()).map(
      ({ item: [path, hostname], first }): RuleFinding => ({
        path,
        message: `hostname ${hostname} is already the tailnet name of ${sidecars[first]?.[0]}; give each sidecar its own`,
      }),
    );
  },
};
