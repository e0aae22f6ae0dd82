import { describe, expect, it } from 'vitest';
import { sortKeysDeep, toCanonicalJson } from './serialize-json.js';

describe('toCanonicalJson', () => {
  it('gives equal bytes for equal data written in any key order, at every level', () => {
    const a = { b: [{ y: 1, x: { q: 2, p: 3 } }], a: 'text', 10: 'ten', 2: 'two' };
    const b = { 2: 'two', a: 'text', 10: 'ten', b: [{ x: { p: 3, q: 2 }, y: 1 }] };
    expect(toCanonicalJson(a)).toBe(toCanonicalJson(b));
    expect(toCanonicalJson(a)).toBe(
      '{\n  "2": "two",\n  "10": "ten",\n  "a": "text",\n  "b": [\n    {\n      "x": {\n        "p": 3,\n        "q": 2\n      },\n      "y": 1\n    }\n  ]\n}\n',
    );
  });

  it('leaves out keys whose value is undefined, and writes null for undefined in a list, like JSON.stringify', () => {
    expect(toCanonicalJson({ b: undefined, a: [undefined, null, 0] })).toBe(
      '{\n  "a": [\n    null,\n    null,\n    0\n  ]\n}\n',
    );
  });
});

describe('sortKeysDeep', () => {
  it('keeps a "__proto__" key of parsed data as data, never as the copy\'s prototype', () => {
    const parsed = JSON.parse('{"z": 1, "__proto__": {"polluted": true}}') as unknown;
    const sorted = sortKeysDeep(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
    expect(sorted.polluted).toBeUndefined();
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"polluted":true},"z":1}');
  });

  it('does not change its input', () => {
    const input = { b: { d: 1, c: 2 }, a: [3] };
    sortKeysDeep(input);
    expect(JSON.stringify(input)).toBe('{"b":{"d":1,"c":2},"a":[3]}');
  });
});
