import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a.txt', 'x\n', 'x\n')).toBe('');
  });

  it('shows a change with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\n';
    expect(unifiedDiff('f.txt', before, after)).toBe(
      '--- a/f.txt\n+++ b/f.txt\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n',
    );
  });

  it('splits distant changes into hunks and handles a new file', () => {
    const before = Array.from({ length: 20 }, (_, index) => `line ${index}`).join('\n') + '\n';
    const after = before.replace('line 1\n', 'LINE 1\n').replace('line 18\n', 'LINE 18\n');
    const diff = unifiedDiff('x', before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(unifiedDiff('new', '', 'one\ntwo\n')).toBe('--- a/new\n+++ b/new\n@@ -0,0 +1,2 @@\n+one\n+two\n');
  });
});
