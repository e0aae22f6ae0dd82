/**
 * OpenPGP ASCII armor (RFC 9580 §6): base64 of the binary packets between `-----BEGIN PGP <type>-----` and
 * `-----END PGP <type>-----`, after optional `Key: value` header lines and a blank line, with an optional CRC-24
 * checksum line (`=` and four base64 characters).
 *
 * @module
 */

/** The armored block types this package reads and writes. */
export type ArmorType = 'PUBLIC KEY BLOCK' | 'PRIVATE KEY BLOCK';

const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;

/** The CRC-24 of RFC 9580 §6.1.1. */
function crc24(data: Uint8Array): number {
  let crc = CRC24_INIT;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  return crc & 0xffffff;
}

/**
 * Reads an armored block.
 *
 * @param text - The armored text (surrounding text and CRLF line ends are allowed).
 * @returns The block's type and binary data; `undefined` when there is no well-formed block or its checksum differs.
 */
export function dearmor(text: string): { type: string; data: Buffer } | undefined {
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  const begin = lines.findIndex((line) => /^-----BEGIN PGP [A-Z ]+-----$/.test(line));
  if (begin < 0) return undefined;
  const type = lines[begin]!.slice('-----BEGIN PGP '.length, -'-----'.length);
  const end = lines.indexOf(`-----END PGP ${type}-----`, begin + 1);
  if (end < 0) return undefined;
  let body = lines.slice(begin + 1, end);
  // Header lines end at the first blank line; a block without headers may start with the data right away.
  const blank = body.indexOf('');
  if (blank >= 0 && body.slice(0, blank).every((line) => /^[^:\s]+: /.test(line))) body = body.slice(blank + 1);
  let checksum: string | undefined;
  if (body.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(body.at(-1)!)) checksum = body.pop()!.slice(1);
  const base64 = body.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined;
  const data = Buffer.from(base64, 'base64');
  if (checksum !== undefined && Buffer.from(checksum, 'base64').readUIntBE(0, 3) !== crc24(data)) return undefined;
  return { type, data };
}

/**
 * Writes an armored block: 64-character lines and the CRC-24 line, as GnuPG and go-crypto write them.
 *
 * @param type - The block type.
 * @param data - The binary packets.
 * @returns The armored text, ending with a newline.
 */
export function armor(type: ArmorType, data: Uint8Array): string {
  const base64 = Buffer.from(data).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  const crc = Buffer.alloc(3);
  crc.writeUIntBE(crc24(data), 0, 3);
  return [
    `-----BEGIN PGP ${type}-----`,
    '',
    ...lines,
    `=${crc.toString('base64')}`,
    `-----END PGP ${type}-----`,
    '',
  ].join('\n');
}
