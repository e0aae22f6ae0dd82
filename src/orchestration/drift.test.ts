import { describe, expect, it } from 'vitest';
import type { Change, Plan } from '../plan/change.js';
import { createChange, createPlan } from '../plan/change.js';
import type { AppliedNode } from './applied-state.js';
import { classifyDrift } from './drift.js';

const record = (...ids: string[]): AppliedNode => ({
  target: 'unifi',
  appliedAt: '2026-01-01T00:00:00.000Z',
  artifacts: 'digest',
  objects: ids.map((id) => ({ kind: 'static-dns', id })),
});

const dns = (id: string, action: Change['action'], fields: Change['fields'] = []): Change =>
  createChange('unifi', 'static-dns', id, action, fields);

function plan(changes: Change[], unmanaged: Plan['unmanaged'] = []): Plan {
  return createPlan('unifi', changes, unmanaged);
}

describe('classifyDrift', () => {
  it('tells differs, disappeared and unowned apart from changes not applied yet and no longer declared', () => {
    const edited = { path: 'value', before: '192.168.10.99', after: '192.168.10.20' };
    const fresh = plan(
      [
        dns('a A', 'update', [edited]),
        dns('b A', 'create'),
        dns('c A', 'create'),
        dns('d A', 'delete'),
        dns('e A', 'delete'),
        dns('f A', 'no-op'),
        { ...dns('g A', 'no-op'), absent: true },
      ],
      [
        { kind: 'static-dns', id: 'x.spaceships.work A', reason: 'not declared', inSdkNamespace: true },
        { kind: 'static-dns', id: 'nas.home A', reason: 'outside zone spaceships.work' },
      ],
    );
    const result = classifyDrift(fresh, record('a A', 'b A', 'd A', 'f A', 'g A'));
    expect(result.drift).toEqual([
      { drift: 'differs', kind: 'static-dns', id: 'a A', fields: [edited] },
      { drift: 'disappeared', kind: 'static-dns', id: 'b A', fields: [] },
      { drift: 'unowned', kind: 'static-dns', id: 'e A', fields: [] },
      { drift: 'disappeared', kind: 'static-dns', id: 'g A', fields: [] },
      { drift: 'unowned', kind: 'static-dns', id: 'x.spaceships.work A', fields: [], note: 'not declared' },
    ]);
    expect(result.pending).toEqual([
      { pending: 'not-applied-yet', kind: 'static-dns', id: 'c A', action: 'create' },
      { pending: 'no-longer-declared', kind: 'static-dns', id: 'd A', action: 'delete' },
    ]);
  });

  it('without a record, calls a create missing and still reports what differs', () => {
    const result = classifyDrift(
      plan([dns('a A', 'create'), dns('b A', 'adopt', [{ path: 'ttl', before: 5, after: 0 }])]),
      undefined,
    );
    expect(result.drift.map((item) => [item.drift, item.id])).toEqual([
      ['missing', 'a A'],
      ['differs', 'b A'],
    ]);
    expect(result.pending).toEqual([]);
  });

  it('finds nothing when the live system is as the last apply left it', () => {
    const result = classifyDrift(
      plan([dns('a A', 'no-op')], [{ kind: 'static-dns', id: 'nas.home A', reason: 'outside' }]),
      record('a A'),
    );
    expect(result).toEqual({ drift: [], pending: [] });
  });
});
