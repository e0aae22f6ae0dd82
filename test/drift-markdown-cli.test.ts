import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliWith } from './run-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-drift-md-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('talos-topology drift --format markdown', () => {
  it('prints the markdown document (here: every target left out, so it exits 1) and refuses it with --json', async () => {
    const out = join(dir, 'out');
    expect((await runCliWith({}, 'generate', '--example', '--out', out)).code).toBe(0);
    const drift = await runCliWith({}, 'drift', '--out', out, '--format', 'markdown');
    expect(drift.code).toBe(1);
    expect(drift.out).toMatch(/^### talos-topology drift \(no targets\): no drift; /m);
    expect(drift.out).toMatch(/^- left out: proxmox:matrix: no credentials/m);
    const both = await runCliWith({}, 'drift', '--out', out, '--format', 'markdown', '--json');
    expect(both.code).toBe(1);
    expect(both.out).toContain('give --json or --format, not both');
  });
});
