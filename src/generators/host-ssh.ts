import type { Topology } from '../models/define.js';
import { sshLoginUser } from '../models/ssh-login.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { omniStackDir, providerStackDir } from './host-stack.js';
import { toCanonicalJson } from './serialize.js';

/**
 * The folder names of the stacks each guest runs, by guest: `omni` on Omni's host, `provider-<id>` on each
 * provider's.
 */
function stacksByGuest(topology: Topology): Map<string, string[]> {
  const stacks = new Map<string, string[]>();
  const add = (guest: string, dir: string): void => {
    stacks.set(guest, [...(stacks.get(guest) ?? []), dir.slice(dir.lastIndexOf('/') + 1)]);
  };
  add(topology.omni.host, omniStackDir(topology.omni.host));
  for (const [id, provider] of Object.entries(topology.providers))
    add(provider.host, providerStackDir(provider.host, id));
  return stacks;
}

/**
 * `hosts/<guest>/ssh.json` for every guest that runs a stack: how `apply --target hosts` reaches it (user, address,
 * port, jump host, host key verification, whether it may install Docker) and where on the host each stack's folder lands
 * (`<ssh.directory>/<stack>`). The hosts client uploads only the stack folders beside it, never this file.
 *
 * @param topology - A validated topology.
 * @returns One artifact per guest that runs a stack.
 */
export function hostSshArtifacts(topology: Topology): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const [name, stacks] of stacksByGuest(topology)) {
    const guest = topology.guests[name];
    if (!guest) continue;
    const { ssh } = guest;
    const access = {
      guest: name,
      user: sshLoginUser(guest),
      address: ssh.address ?? guest.lan.address,
      port: ssh.port,
      ...(ssh.jumpHost ? { jumpHost: ssh.jumpHost } : {}),
      ...(ssh.hostKey ? { hostKey: ssh.hostKey } : {}),
      ...(ssh.installDocker ? { installDocker: true } : {}),
      stacks: Object.fromEntries(stacks.sort().map((stack) => [stack, `${ssh.directory}/${stack}`])),
    };
    artifacts.push(createArtifact(`hosts/${name}/ssh.json`, 'host-ssh', toCanonicalJson(access)));
  }
  return artifacts;
}
