import { describe, expect, it } from 'vitest';
import { ipv4ToNumber, isReservedHostAddress, parseCidr, subnetContains, subnetCovers } from './ipv4.js';

describe('ipv4', () => {
  it('parses addresses and subnets', () => {
    expect(ipv4ToNumber('192.168.3.10')).toBe(0xc0a8030a);
    expect(parseCidr('192.168.3.77/24')).toEqual({ network: 0xc0a80300, prefix: 24 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ network: 0, prefix: 0 });
  });

  it('tells membership and coverage', () => {
    expect(subnetContains('192.168.3.0/24', '192.168.3.10')).toBe(true);
    expect(subnetContains('192.168.3.0/24', '192.168.10.20')).toBe(false);
    expect(subnetCovers('192.168.0.0/16', '192.168.3.0/24')).toBe(true);
    expect(subnetCovers('192.168.3.0/24', '192.168.0.0/16')).toBe(false);
  });

  it('marks network and broadcast addresses', () => {
    expect(isReservedHostAddress('192.168.3.0/24', '192.168.3.0')).toBe(true);
    expect(isReservedHostAddress('192.168.3.0/24', '192.168.3.255')).toBe(true);
    expect(isReservedHostAddress('192.168.3.0/24', '192.168.3.1')).toBe(false);
    expect(isReservedHostAddress('10.0.0.0/31', '10.0.0.0')).toBe(false);
  });
});
