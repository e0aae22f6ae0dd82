import { describe, expect, it } from 'vitest';
import { isTopologyError, TopologyError } from './issue.js';

const issue = { path: 'guests.holly', rule: 'required', message: 'is required', severity: 'error' } as const;

describe('isTopologyError', () => {
  it('recognises a TopologyError from this copy of the library and from another one', () => {
    expect(isTopologyError(new TopologyError([issue], 'topology.yaml'))).toBe(true);
    // Another copy (a `.ts` topology's own node_modules, another bundle): a different class with the same name.
    class OtherCopy extends Error {
      override readonly name = 'TopologyError';
      readonly issues = [issue];
    }
    expect(isTopologyError(new OtherCopy('invalid topology'))).toBe(true);
  });

  it('refuses errors that only share the name, and values that are not errors', () => {
    const named = Object.assign(new Error('x'), { name: 'TopologyError', issues: [{ path: 1 }] });
    expect(isTopologyError(named)).toBe(false);
    expect(isTopologyError(Object.assign(new Error('x'), { name: 'TopologyError' }))).toBe(false);
    expect(isTopologyError({ name: 'TopologyError', issues: [issue] })).toBe(false);
  });
});
