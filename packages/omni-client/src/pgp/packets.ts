/**
 * OpenPGP packet framing (RFC 9580 §4.2) and multiprecision integers (§3.2), the parts of the format keys and
 * signatures are made of.
 *
 * @module
 */

/** Packet tags this package reads or writes. */
export const PacketTag = {
  Signature: 2,
  SecretKey: 5,
  PublicKey: 6,
  SecretSubkey: 7,
  UserId: 13,
  PublicSubkey: 14,
} as const;

/** One packet: its tag and body. */
export interface Packet {
  readonly tag: number;
  readonly body: Buffer;
}

/**
 * Splits binary data into packets, in either header format. Partial and indeterminate lengths (used only by data
 * packets, never by keys) are refused.
 *
 * @param data - The packets, e.g. a dearmored key.
 * @returns The packets; `undefined` when the framing is malformed.
 */
export function readPackets(data: Buffer): Packet[] | undefined {
  const packets: Packet[] = [];
  let at = 0;
  while (at < data.length) {
    const header = data[at]!;
    if ((header & 0x80) === 0) return undefined;
    let tag: number;
    let length: number;
    if (header & 0x40) {
      tag = header & 0x3f;
      const first = data[at + 1];
      if (first === undefined) return undefined;
      if (first < 192) [length, at] = [first, at + 2];
      else if (first < 224) [length, at] = [((first - 192) << 8) + (data[at + 2] ?? 0) + 192, at + 3];
      else if (first === 255 && at + 6 <= data.length) [length, at] = [data.readUInt32BE(at + 2), at + 6];
      else return undefined;
    } else {
      tag = (header >> 2) & 0x0f;
      const size = [1, 2, 4][header & 0x03];
      if (size === undefined || at + 1 + size > data.length) return undefined;
      [length, at] = [data.readUIntBE(at + 1, size), at + 1 + size];
    }
    if (at + length > data.length) return undefined;
    packets.push({ tag, body: data.subarray(at, at + length) });
    at += length;
  }
  return packets;
}

/**
 * Frames a packet with a new-format header.
 *
 * @param tag - The packet tag.
 * @param body - The body.
 * @returns Header and body.
 */
export function writePacket(tag: number, body: Buffer): Buffer {
  let length: Buffer;
  if (body.length < 192) length = Buffer.from([body.length]);
  else if (body.length < 8384) {
    const rest = body.length - 192;
    length = Buffer.from([(rest >> 8) + 192, rest & 0xff]);
  } else {
    length = Buffer.alloc(5);
    length[0] = 255;
    length.writeUInt32BE(body.length, 1);
  }
  return Buffer.concat([Buffer.from([0xc0 | tag]), length, body]);
}

/**
 * Encodes bytes as a multiprecision integer: the bit count (two octets), then the bytes without leading zeros.
 *
 * @param bytes - A big-endian unsigned integer (an EdDSA point or scalar as its octet string).
 * @returns The MPI.
 */
export function encodeMpi(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  const value = Buffer.from(bytes.subarray(start));
  const bits = value.length === 0 ? 0 : (value.length - 1) * 8 + (32 - Math.clz32(value[0]!));
  const header = Buffer.alloc(2);
  header.writeUInt16BE(bits);
  return Buffer.concat([header, value]);
}

/**
 * Reads a multiprecision integer.
 *
 * @param data - The buffer.
 * @param at - Where the MPI starts.
 * @returns Its value's bytes and where the next field starts; `undefined` when it runs past the end.
 */
export function readMpi(data: Buffer, at: number): { value: Buffer; next: number } | undefined {
  if (at + 2 > data.length) return undefined;
  const next = at + 2 + Math.ceil(data.readUInt16BE(at) / 8);
  if (next > data.length) return undefined;
  return { value: data.subarray(at + 2, next), next };
}

/**
 * Left-pads an MPI's value to a fixed size (an MPI drops leading zero octets).
 *
 * @param value - The value's bytes.
 * @param size - The size.
 * @returns The padded bytes; `undefined` when the value is longer.
 */
export function padTo(value: Buffer, size: number): Buffer | undefined {
  if (value.length > size) return undefined;
  return Buffer.concat([Buffer.alloc(size - value.length), value]);
}
