import { describe, expect, it } from 'vitest';
import { inflateConfigPatch } from './config-patch-data.js';

// The patch below, compressed with Node 24's zlib.zstdCompressSync (the zstd frame format Omni writes).
const text = `machine:\n  sysctls:\n${Array.from({ length: 120 }, (_, i) => `    net.example.key${i}: "${i}"\n`).join('')}`;
const compressed = Buffer.from(
  'KLUv/WBIDNULABZTMBmQNWkDtSp4ZiNV2+T/Y5DNld29OwGqOxuANAAlACYAVzJFk0xJJFPwyJQzMsWKTCmTKSZEptDCCBgYBwEEYcAYKIzEzHFQFI7FMSMoRgLAUCAgAnd3d3d3ZmZmZmZmZmZmZlVVVVVVVVVVVVX2bdu2bdv2kil7MiX//19VVVVVVVVVVVU1MzMzMzMzMzMzExEREREREREREfHu7u7uLgKytm3btm3bNhEREREREREREXl3d3d3d3d3d3f3/////x+A5qgx5ErtzxiQkxRZBxGAGRH+EUQ7BvhN8Trhd4rfoPdSZCVsK4SF79m7J9OeVfYk69mnnnR6ltATnGffPOnyLCVPMJ598aTDswSewHf2vZNm3VkK4A6mtVu3c/d279bO3dm9u7tzN3fr9u7ezp3buXu7d2d37ubu3d6tm7tze7c3jAbvGbU62y7IolcYCj5RJewIgugPxoFrKAZbLZBAoZNgIowAXwn8SuBXAl8pg//+VwwgNQ==',
  'base64',
);

describe('inflateConfigPatch', () => {
  it('inflates a zstd-compressed patch into its text', () => {
    expect(text.length).toBeGreaterThan(2048);
    expect(inflateConfigPatch({ data: '', compressedData: compressed })).toEqual({
      data: text,
      compressedData: Buffer.alloc(0),
    });
  });

  it('leaves an uncompressed patch as it is', () => {
    const spec = { data: 'machine: {}\n', compressedData: Buffer.alloc(0) };
    expect(inflateConfigPatch(spec)).toBe(spec);
  });
});
