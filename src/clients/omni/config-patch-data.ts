import { decompress } from 'fzstd';
import type { ConfigPatchSpec } from '@talos-sdk/omni-client';

/**
 * A ConfigPatch spec with its text in `data`. Omni keeps patches of 2 KiB and more zstd-compressed in
 * `compressed_data`; this inflates them (in pure JavaScript, so on every supported Node version) so a plan compares
 * the patch text, not its compressed bytes, and an applied patch is not planned again.
 *
 * @param spec - A ConfigPatch spec as read from Omni.
 * @returns The same spec with `data` filled in and `compressedData` empty.
 */
export function inflateConfigPatch(spec: ConfigPatchSpec): ConfigPatchSpec {
  if (spec.compressedData.length === 0) return spec;
  return {
    ...spec,
    data: Buffer.from(decompress(spec.compressedData)).toString('utf8'),
    compressedData: Buffer.alloc(0),
  };
}
