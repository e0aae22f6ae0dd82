/**
 * A short fingerprint of a text (FNV-1a, 32 bits) for naming cache files: not a checksum, since a cache file also
 * holds what it was made for, and a file made for something else is ignored and replaced.
 *
 * @module
 */

/**
 * The FNV-1a hash of a text's UTF-16 code units.
 *
 * @param text - A path, or a key made of paths and options.
 * @returns Eight hexadecimal digits.
 */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
