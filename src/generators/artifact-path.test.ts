import { describe, expect, it } from 'vitest';
import { folderPathProblem } from './artifact-path.js';

describe('folderPathProblem', () => {
  it('accepts relative normalised paths, dot-files and names with dots among other characters', () => {
    for (const path of ['a', 'hosts/holly/compose.yaml', '.hidden/x', 'a/.../b', 'a/..b/c', 'a/b..', 'x'.repeat(1024)])
      expect(folderPathProblem(path), path).toBeUndefined();
  });

  it('names the first problem of every refused path', () => {
    const refused: [unknown, string][] = [
      ['', 'is not a path'],
      [42, 'is not a path'],
      ['x'.repeat(1025), 'is longer than 1024 characters'],
      ['a\u0000b', 'contains a control character'],
      ['a\nb', 'contains a control character'],
      ['a\u007fb', 'contains a control character'],
      ['a\\b', 'contains "\\" or ":"'],
      ['C:x', 'contains "\\" or ":"'],
      ['/etc/passwd', 'is absolute'],
      ['a//b', 'has an empty segment'],
      ['a/', 'has an empty segment'],
      ['..', 'has a "." or ".." segment'],
      ['../victim.txt', 'has a "." or ".." segment'],
      ['a/./b', 'has a "." or ".." segment'],
      ['a/.', 'has a "." or ".." segment'],
      ['a/..', 'has a "." or ".." segment'],
    ];
    for (const [path, problem] of refused) expect(folderPathProblem(path), JSON.stringify(path)).toBe(problem);
  });
});
