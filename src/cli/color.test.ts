import { describe, expect, it } from 'vitest';
import { colorEnabled } from './color.js';

describe('colorEnabled', () => {
  it('colours a terminal by default and nothing else', () => {
    expect(colorEnabled({ noColorFlag: false, env: {}, isTTY: true })).toBe(true);
    expect(colorEnabled({ noColorFlag: false, env: {}, isTTY: false })).toBe(false);
  });

  it('lets --no-color, then FORCE_COLOR, then NO_COLOR decide before the terminal does', () => {
    expect(colorEnabled({ noColorFlag: true, env: { FORCE_COLOR: '1' }, isTTY: true })).toBe(false);
    // Node: a supported FORCE_COLOR value makes it ignore NO_COLOR.
    expect(colorEnabled({ noColorFlag: false, env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(colorEnabled({ noColorFlag: false, env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ noColorFlag: false, env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorEnabled({ noColorFlag: false, env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ noColorFlag: false, env: { FORCE_COLOR: 'false' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ noColorFlag: false, env: { FORCE_COLOR: '' }, isTTY: false })).toBe(true);
    // Node: any other value disables colour, on a terminal too.
    expect(colorEnabled({ noColorFlag: false, env: { FORCE_COLOR: 'maybe' }, isTTY: true })).toBe(false);
  });

  it('asks whether stdout is a terminal only when the flag and the environment leave it open', () => {
    const asked: string[] = [];
    const terminal = (answer: boolean) => (): boolean => (asked.push('asked'), answer);
    expect(colorEnabled({ noColorFlag: true, env: {}, isTTY: terminal(true) })).toBe(false);
    expect(colorEnabled({ noColorFlag: false, env: { NO_COLOR: '1' }, isTTY: terminal(true) })).toBe(false);
    expect(colorEnabled({ noColorFlag: false, env: { FORCE_COLOR: '1' }, isTTY: terminal(false) })).toBe(true);
    expect(asked).toEqual([]);
    expect(colorEnabled({ noColorFlag: false, env: {}, isTTY: terminal(true) })).toBe(true);
    expect(asked).toEqual(['asked']);
  });
});
