/**
 * How Proxmox VE returns a guest's stored config from `GET …/config`: values come back as the config parser leaves
 * them, not as they were sent.
 *
 * - pve-container `src/PVE/LXC/Config.pm` `parse_pct_config` and qemu-server `src/PVE/QemuServer.pm`
 *   `parse_vm_config` run every value through `check_type`: an `integer` key becomes `int($value)` and a `boolean`
 *   key `1`/`0`, both numbers in Perl, so the JSON answer holds numbers (`"memory": 2048`, `"onboot": 1`); `number`
 *   and `string` keys stay the text that was stored (`"cpulimit": "1.5"`).
 * - A `description` is written as `#` comment lines. pve-container reads each line back with `"\n"` appended and keeps
 *   it that way, so a container's description ends in a newline; qemu-server strips trailing whitespace
 *   (`$descr =~ s/\s+$//` in `parse_vm_config`'s description finisher).
 * - QEMU `memory` is a property string (`[current=]<MiB>`) from qemu-server 8.0.x on, shipped with Proxmox VE 8.1, so
 *   it comes back as text there; before, it was an integer.
 */

import { ENDPOINT_PARAMETERS, parametersOf, ruleFor } from './parameters.js';
import { versionAtLeast } from './state.js';

/**
 * Renders a stored config as `GET /nodes/{node}/{type}/{vmid}/config` returns it.
 *
 * @param type - Guest type.
 * @param config - The stored config, values as text.
 * @param version - The emulated `pve-manager` version.
 * @returns The config with numbers for integer and boolean keys and the description as the parser returns it.
 */
export function configAsReturned(
  type: 'lxc' | 'qemu',
  config: Readonly<Record<string, string>>,
  version: string,
): Record<string, string | number> {
  const rules = parametersOf(ENDPOINT_PARAMETERS[`POST /nodes/{node}/${type}`] ?? {}, version);
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(config)) {
    const rule = ruleFor(rules, key);
    if (key === 'description') out[key] = descriptionAsReturned(type, value);
    else if (type === 'qemu' && key === 'memory') out[key] = versionAtLeast(version, '8.1') ? value : Number(value);
    else if (rule?.type === 'integer') out[key] = Math.trunc(Number(value));
    else if (rule?.type === 'boolean') out[key] = /^(1|true|yes|on)$/i.test(value) ? 1 : 0;
    else out[key] = value;
  }
  return out;
}

/** A description written as comment lines and read back: one `"\n"` per line for a container, trimmed for a VM. */
function descriptionAsReturned(type: 'lxc' | 'qemu', value: string): string {
  if (type === 'qemu') return value.replace(/\s+$/, '');
  // Perl's `split(/\n/, …)` drops trailing empty fields, then every line gets its newline back.
  const lines = value.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => `${line}\n`).join('');
}
