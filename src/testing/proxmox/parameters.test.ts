import { describe, expect, it } from 'vitest';
import { ENDPOINT_PARAMETERS, verifyParameters } from './parameters.js';

const lxcCreate = ENDPOINT_PARAMETERS['POST /nodes/{node}/lxc']!;
const qemuCreate = ENDPOINT_PARAMETERS['POST /nodes/{node}/qemu']!;

describe('emulated parameter verification', () => {
  it('accepts the example container and VM bodies', () => {
    expect(
      verifyParameters(lxcCreate, {
        node: 'foxtrot',
        vmid: '200',
        cores: '2',
        dev0: 'path=/dev/net/tun',
        features: 'keyctl=1,nesting=1',
        hostname: 'omni-provider',
        memory: '2048',
        net0: 'name=eth0,bridge=vmbr0,gw=192.168.3.1,ip=192.168.3.10/24',
        onboot: '1',
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        rootfs: 'vm_ssd:16',
        swap: '512',
        tags: 'talos-sdk',
        unprivileged: '1',
      }),
    ).toEqual({});
    expect(
      verifyParameters(qemuCreate, {
        node: 'quantum-1',
        vmid: '101',
        agent: 'enabled=1',
        cores: '4',
        cpu: 'x86-64-v2-AES',
        ide2: 'local-lvm:cloudinit',
        ipconfig0: 'gw=192.168.10.1,ip=192.168.10.20/24',
        memory: '8192',
        name: 'holly',
        net0: 'virtio,bridge=vmbr0,firewall=1',
        onboot: '1',
        ostype: 'l26',
        scsi0: 'local-lvm:64,discard=on,iothread=1,ssd=1',
        scsihw: 'virtio-scsi-single',
        sockets: '1',
        tags: 'talos-sdk',
      }),
    ).toEqual({});
  });

  it('refuses missing, out-of-range, unknown and malformed keys with the API wording', () => {
    expect(
      verifyParameters(lxcCreate, {
        node: 'foxtrot',
        vmid: '99',
        cores: '0',
        features: 'keyctl=maybe',
        arch: 'sparc',
        net9: 'bridge=vmbr0',
      }),
    ).toEqual({
      ostemplate: 'property is missing and it is not optional',
      vmid: 'value must have a minimum value of 100',
      cores: 'value must have a minimum value of 1',
      features: "invalid format - keyctl: type check ('boolean') failed - got 'maybe'",
      arch: "value 'sparc' does not have a value in the enumeration 'amd64, i386, arm64, armhf, riscv32, riscv64'",
      net9: 'invalid format - name: property is missing and it is not optional',
    });
  });
});
