import { describe, expect, it } from 'vitest';
import type { DriftDocument } from './drift.js';
import { formatDriftMarkdown } from './drift-markdown.js';
import type { ReportWords } from './report.js';

const words: ReportWords = { plan: (plan) => plan, change: (change) => change, error: String };

const document: DriftDocument = {
  drifted: true,
  targets: [
    {
      node: 'unifi',
      target: 'unifi',
      needs: [],
      status: 'checked',
      record: { appliedAt: '2026-11-29T06:00:00.000Z', artifactsChanged: false },
      summary: { differs: 1, disappeared: 0, unowned: 1, missing: 0, pending: 0 },
      drift: [
        {
          drift: 'differs',
          kind: 'static-dns',
          id: 'omni.spaceships.work A',
          fields: [{ path: 'value', before: '192.168.10.99', after: '192.168.10.20' }],
        },
        { drift: 'unowned', kind: 'static-dns', id: 'nas.spaceships.work A', fields: [], note: 'not declared' },
      ],
      pending: [],
    },
    { node: 'omni', target: 'omni', needs: ['unifi'], status: 'failed', error: 'Omni refused the key <admin>' },
  ],
  leftOut: [],
  summary: { differs: 1, disappeared: 0, unowned: 1, missing: 0, pending: 0, failed: 1 },
};

describe('formatDriftMarkdown', () => {
  it('folds each target with its drift as drift prints it, escapes the summary line, and names the totals', () => {
    const markdown = formatDriftMarkdown(document, { leftOut: [] }, words);
    expect(markdown).toMatch(/^### talos-topology drift \(unifi, omni\): drift found; /m);
    expect(markdown).toContain('1 not checked');
    expect(markdown).toMatch(/<details><summary><strong>unifi<\/strong>: .*1 unowned/);
    expect(markdown).toContain('~ static-dns omni.spaceships.work A');
    expect(markdown).toContain('value: live "192.168.10.99", artifacts "192.168.10.20"');
    expect(markdown).toMatch(/<details><summary><strong>omni<\/strong>: failed<\/summary>/);
    expect(markdown).toContain('drift check failed: Omni refused the key <admin>');
  });

  it('stays within the bound, telling how to see everything', () => {
    const many = {
      ...document,
      targets: [
        {
          ...document.targets[0]!,
          drift: Array.from({ length: 5000 }, (_, index) => ({
            drift: 'unowned' as const,
            kind: 'static-dns',
            id: `host-${index}.spaceships.work A`,
            fields: [],
          })),
        },
      ],
    } as DriftDocument;
    const markdown = formatDriftMarkdown(many, { leftOut: [] }, words, { maxLength: 10_000 });
    expect(markdown.length).toBeLessThanOrEqual(10_000);
    expect(markdown).toContain('talos-topology drift');
  });
});
