import { describe, expect, it } from 'vitest';
import { closestWord } from './suggest.js';

describe('closestWord', () => {
  it('suggests a word one or two edits away', () => {
    expect(closestWord('genrate', ['validate', 'generate', 'check'])).toBe('generate');
    expect(closestWord('--outt', ['--out', '--json'])).toBe('--out');
  });

  it('suggests nothing for an unrelated or very short word', () => {
    expect(closestWord('deploy', ['validate', 'generate', 'check'])).toBeUndefined();
    expect(closestWord('x', ['plan', 'apply'])).toBeUndefined();
  });
});
