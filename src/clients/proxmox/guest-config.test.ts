import { describe, expect, it } from 'vitest';
import { configValueMatches, diffGuestConfig, diskMismatch, splitConfigValue } from './guest-config.js';
import { adaptPrivileges } from './privileges.js';
import { parseUpid } from './client.js';

describe('guest config comparison', () => {
  it('treats an allocated disk as the artifact volume it came from', () => {
    expect(diskMismatch('rootfs', 'vm_ssd:16', 'vm_ssd:vm-200-disk-0,size=16G')).toBeUndefined();
    expect(diskMismatch('rootfs', 'vm_ssd:16', 'vm_ssd:vm-200-disk-0,size=32G')).toBe(
      'has size 32G, artifact wants 16G',
    );
    expect(diskMismatch('ide2', 'local-lvm:cloudinit', 'local-lvm:vm-101-cloudinit,media=cdrom')).toBeUndefined();
    expect(diskMismatch('scsi0', 'local-lvm:64,ssd=1', 'local-lvm:vm-101-disk-0,size=64G')).toMatch(
      /options ssd=1 differ/,
    );
  });

  it('ignores sub-keys the server adds and reads NIC models and booleans', () => {
    expect(splitConfigValue('net0', 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=true')).toEqual({
      model: 'virtio',
      macaddr: 'BC:24:11:00:00:01',
      bridge: 'vmbr0',
      firewall: '1',
    });
    expect(
      configValueMatches('net0', 'virtio,bridge=vmbr0,firewall=1', 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1'),
    ).toBe(true);
    expect(
      configValueMatches(
        'net0',
        'name=eth0,ip=192.168.3.10/24',
        'name=eth0,hwaddr=BC:24:11:00:00:02,ip=192.168.3.11/24,type=veth',
      ),
    ).toBe(false);
    expect(configValueMatches('agent', 'enabled=1', '1')).toBe(true);
    expect(configValueMatches('tags', 'b;a', 'a,b')).toBe(true);
  });

  it('skips create-only keys and notes what apply will not change', () => {
    const diff = diffGuestConfig(
      'lxc',
      { vmid: 200, ostemplate: 'local:vztmpl/x', unprivileged: 1, cores: 2, memory: 2048, rootfs: 'vm_ssd:16' },
      { cores: 1, memory: 2048, rootfs: 'vm_ssd:vm-200-disk-0,size=8G' },
    );
    expect(diff.fields).toEqual([{ path: 'cores', before: 1, after: 2 }]);
    expect(diff.notes).toEqual([
      'unprivileged is 0 live, artifact wants 1: only a new container can change it',
      'rootfs has size 8G, artifact wants 16G; apply does not resize or move disks',
    ]);
  });
});

describe('version and task helpers', () => {
  it('drops privileges the major version does not know', () => {
    expect(adaptPrivileges('VM.Audit, VM.Monitor;VM.GuestAgent.Audit', 9)).toEqual({
      privs: ['VM.Audit', 'VM.GuestAgent.Audit'],
      dropped: ['VM.Monitor'],
    });
    expect(adaptPrivileges('VM.Audit,VM.Monitor,VM.GuestAgent.Audit', 8)).toEqual({
      privs: ['VM.Audit', 'VM.Monitor'],
      dropped: ['VM.GuestAgent.Audit'],
    });
  });

  it('reads the node of a UPID, token users included', () => {
    expect(parseUpid('UPID:golf:00001234:00ABCDEF:6700AA00:vzcreate:200:root@pam!sdk:')).toEqual({
      node: 'golf',
      type: 'vzcreate',
      id: '200',
      user: 'root@pam!sdk',
    });
    expect(() => parseUpid('not-a-upid')).toThrow(/not a Proxmox task ID/);
  });
});
