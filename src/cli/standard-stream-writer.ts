import { writeSync } from 'node:fs';

/** What a writer needs from the process, passed in by tests. */
export interface StandardStreamAccess {
  /** `fs.writeSync(fd, buffer, offset)`: the bytes written, or a thrown system error. */
  readonly writeSync: (fd: number, buffer: Uint8Array, offset: number) => number;
  /** The process's stream for the descriptor (`process.stdout` or `process.stderr`), created on first use. */
  readonly stream: () => { write(chunk: Uint8Array): unknown };
  /** Whether writes go to the stream only (Windows). */
  readonly streamOnly: boolean;
}

/**
 * A writer for standard output or error that writes to the file descriptor with `fs.writeSync` and leaves
 * `process.stdout`/`process.stderr` uncreated: creating either loads Node's stream and net modules, 2–3.5 ms of a
 * 45 ms `validate` on Node 24 (measured with `process.moduleLoadList`). Each call returns once its text is written,
 * as Node's own streams do for files and POSIX terminals ("A note on process I/O" in Node's process documentation);
 * the CLI prints only through these writers, so nothing queued elsewhere can be overtaken. The stream takes over, for
 * the rest of the run, where a direct write does not fit: on Windows (where the stream owns the console and pipes)
 * and when the descriptor is non-blocking and full (`EAGAIN`: a pipe another process set non-blocking), which the
 * stream waits out. `EPIPE` (the reader is gone, as after `| head`) drops what is left, where the stream would raise
 * an uncaught error.
 *
 * @param fd - 1 or 2.
 * @param access - The process's descriptors and streams (tests pass fakes).
 * @returns A function that writes text in full.
 */
export function standardStreamWriter(fd: 1 | 2, access: StandardStreamAccess): (text: string) => void {
  let viaStream = access.streamOnly;
  let closed = false;
  return (text) => {
    if (closed) return;
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (!viaStream && offset < bytes.length) {
      try {
        offset += access.writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
        viaStream = true;
      }
    }
    if (offset < bytes.length) access.stream().write(bytes.subarray(offset));
  };
}

/**
 * The process's own descriptors and streams.
 *
 * @param fd - 1 or 2.
 * @returns Access to that descriptor.
 */
export function processStreamAccess(fd: 1 | 2): StandardStreamAccess {
  return {
    writeSync: (target, buffer, offset) => writeSync(target, buffer, offset),
    stream: () => (fd === 1 ? process.stdout : process.stderr),
    streamOnly: process.platform === 'win32',
  };
}
