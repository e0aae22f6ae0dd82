import { describe, expect, it } from 'vitest';
import type { StandardStreamAccess } from './standard-stream-writer.js';
import { standardStreamWriter } from './standard-stream-writer.js';

/** A system error as `fs.writeSync` throws it. */
function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write`), { code });
}

/**
 * A descriptor that takes at most `chunk` bytes per write, each call first taking the next of `errors` (`''`: none),
 * and a stream that records what it is given.
 */
function fakeAccess(options: { chunk?: number; errors?: string[]; streamOnly?: boolean } = {}) {
  const written: string[] = [];
  const bytes: Buffer[] = [];
  const streamed: string[] = [];
  const errors = [...(options.errors ?? [])];
  let streamCreated = false;
  const access: StandardStreamAccess = {
    writeSync: (fd, buffer, offset) => {
      const error = errors.shift();
      if (error) throw systemError(error);
      const end = Math.min(buffer.length, offset + (options.chunk ?? Infinity));
      bytes.push(Buffer.from(buffer.subarray(offset, end)));
      written.push(`${fd}:${bytes.at(-1)!.toString('utf8')}`);
      return end - offset;
    },
    stream: () => {
      streamCreated = true;
      return { write: (chunk) => streamed.push(Buffer.from(chunk).toString('utf8')) };
    },
    streamOnly: options.streamOnly ?? false,
  };
  return { access, written, bytes, streamed, streamCreated: () => streamCreated };
}

describe('standardStreamWriter', () => {
  it('writes the whole text to the descriptor, across partial writes, without creating the stream', () => {
    const fake = fakeAccess({ chunk: 4 });
    standardStreamWriter(2, fake.access)('valid (2 warnings)\n');
    expect(fake.written.join('|')).toBe('2:vali|2:d (2|2: war|2:ning|2:s)\n');
    expect(fake.streamCreated()).toBe(false);
  });

  it('writes multi-byte characters whole: the byte offset, not the character count, moves on', () => {
    const fake = fakeAccess({ chunk: 3 });
    standardStreamWriter(1, fake.access)('pin sha256:… now\n');
    expect(Buffer.concat(fake.bytes).toString('utf8')).toBe('pin sha256:… now\n');
  });

  it('hands the rest to the stream on EAGAIN and keeps using it, so nothing is reordered', () => {
    const fake = fakeAccess({ chunk: 5, errors: ['', 'EAGAIN'] });
    const write = standardStreamWriter(1, fake.access);
    write('first line\n');
    write('second\n');
    expect(fake.written).toEqual(['1:first']);
    expect(fake.streamed).toEqual([' line\n', 'second\n']);
  });

  it('drops what is left once the reader is gone (EPIPE), without throwing', () => {
    const fake = fakeAccess({ errors: ['EPIPE'] });
    const write = standardStreamWriter(1, fake.access);
    expect(() => write('lost\n')).not.toThrow();
    expect(() => write('also lost\n')).not.toThrow();
    expect(fake.written).toEqual([]);
    expect(fake.streamed).toEqual([]);
  });

  it('lets any other failure through', () => {
    const fake = fakeAccess({ errors: ['EBADF'] });
    expect(() => standardStreamWriter(1, fake.access)('text\n')).toThrow('EBADF');
  });

  it('writes through the stream only where the stream must own the descriptor (Windows)', () => {
    const fake = fakeAccess({ streamOnly: true });
    standardStreamWriter(1, fake.access)('text\n');
    expect(fake.written).toEqual([]);
    expect(fake.streamed).toEqual(['text\n']);
  });
});
