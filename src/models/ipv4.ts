/**
 * IPv4 addresses and CIDR subnets as plain numbers, for the models' checks and the rules.
 *
 * @module
 */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** Matches a dotted-quad IPv4 address such as `192.168.10.20`. */
export const IPV4_PATTERN = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** Matches an IPv4 CIDR subnet such as `192.168.3.0/24`. */
export const CIDR_PATTERN = new RegExp(`^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?\\d)$`);

/** An IPv4 subnet as a network number and prefix length. */
export interface Subnet {
  /** The network address as an unsigned 32-bit number (host bits zero). */
  readonly network: number;
  /** The prefix length, 0 to 32. */
  readonly prefix: number;
}

/**
 * Parses a dotted-quad address into an unsigned 32-bit number.
 *
 * @param address - A string matching {@link IPV4_PATTERN}.
 * @returns The address as a number.
 */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/**
 * Parses a CIDR string. Host bits are cleared, so `192.168.3.7/24` is the subnet `192.168.3.0/24`.
 *
 * @param cidr - A string matching {@link CIDR_PATTERN}.
 * @returns The subnet.
 */
export function parseCidr(cidr: string): Subnet {
  const [address = '', prefixText = '32'] = cidr.split('/');
  const prefix = Number(prefixText);
  return { network: (ipv4ToNumber(address) & maskOf(prefix)) >>> 0, prefix };
}

/**
 * Tells whether an address lies inside a subnet.
 *
 * @param address - Dotted-quad address.
 * @param cidr - The subnet in CIDR form.
 * @returns `true` when the address's network bits equal the subnet's.
 */
export function subnetContains(cidr: string, address: string): boolean {
  const subnet = parseCidr(cidr);
  return (ipv4ToNumber(address) & maskOf(subnet.prefix)) >>> 0 === subnet.network;
}

/**
 * Tells whether the first subnet contains every address of the second.
 *
 * @param outer - The larger subnet.
 * @param inner - The subnet that must fit inside it.
 * @returns `true` when `inner` lies inside `outer`.
 */
export function subnetCovers(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  return a.prefix <= b.prefix && (b.network & maskOf(a.prefix)) >>> 0 === a.network;
}

/**
 * Tells whether an address is the network or broadcast address of its subnet (unusable for a host).
 *
 * @param cidr - The subnet.
 * @param address - The address to test.
 * @returns `true` for the first and last address of subnets larger than /31.
 */
export function isReservedHostAddress(cidr: string, address: string): boolean {
  const subnet = parseCidr(cidr);
  if (subnet.prefix >= 31) return false;
  const value = ipv4ToNumber(address);
  const broadcast = (subnet.network | (~maskOf(subnet.prefix) >>> 0)) >>> 0;
  return value === subnet.network || value === broadcast;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
