import fc from 'fast-check';
import type { ParseError } from 'jsonc-parser';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../../test/fixtures.js';
import { defineTopology } from '../../models/define.js';
import { tailscalePolicyArtifact } from '../../generators/tailscale-policy.js';
import { policyEntryMarker, renderPolicyValue } from '../../generators/tailscale-policy-marker.js';
import { TailnetPolicySyntaxError, mergePolicy } from './policy-merge.js';

type Loose = Record<string, unknown>;

interface Desired {
  readonly grants?: readonly unknown[];
  readonly tagOwners?: Readonly<Record<string, readonly string[]>>;
  readonly tests?: readonly unknown[];
}

/** A snippet in the generator's layout, entries marked for `topology`. */
function snippet(desired: Desired, topology = 'lab'): string {
  const marker = policyEntryMarker(topology);
  const sections: string[] = [];
  const list = (name: string, entries: readonly unknown[]): string =>
    `  "${name}": [\n${entries.map((entry) => `    ${marker}\n    ${renderPolicyValue(entry, '  ', '    ', '\n')}`).join(',\n')}\n  ]`;
  if (desired.grants) sections.push(list('grants', desired.grants));
  if (desired.tagOwners) {
    const entries = Object.entries(desired.tagOwners).map(
      ([tag, owners]) => `    ${marker}\n    ${JSON.stringify(tag)}: ${renderPolicyValue(owners, '  ', '    ', '\n')}`,
    );
    sections.push(`  "tagOwners": {\n${entries.join(',\n')}\n  }`);
  }
  if (desired.tests) sections.push(list('tests', desired.tests));
  return `// generated\n{\n${sections.join(',\n')}\n}`;
}

function hujson(text: string): Loose {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as Loose;
  expect(errors).toEqual([]);
  return value;
}

const omniGrant = { dst: ['tag:lab-omni'], ip: ['tcp:8443', 'tcp:8100'], src: ['group:ops'] };
const omniTest = { accept: ['tag:lab-omni:8443', 'tag:lab-omni:8100'], proto: 'tcp', src: 'group:ops' };
const lab: Desired = {
  grants: [omniGrant],
  tagOwners: { 'tag:lab-omni': ['group:ops'], 'tag:lab-provider': ['group:ops'] },
  tests: [omniTest],
};

/** The policy a new tailnet starts with (tab indentation, trailing commas, commented-out examples). */
const startingPolicy = `// Example/default ACLs for unrestricted connections.
{
\t// Declare static groups of users.
\t"groups": {
\t\t"group:ops": ["kryten@example.com",],
\t},

\t// "tagOwners": {
\t//   "tag:example": ["autogroup:admin"],
\t// },

\t"grants": [
\t\t// Allow all connections.
\t\t{"src": ["*"], "dst": ["*"], "ip": ["*"]},
\t],

\t"ssh": [
\t\t{
\t\t\t"action": "check",
\t\t\t"src":    ["autogroup:member"],
\t\t\t"dst":    ["autogroup:self"],
\t\t\t"users":  ["autogroup:nonroot", "root"],
\t\t},
\t],
}
`;

describe('mergePolicy: examples', () => {
  it('adds the generated entries with their markers and keeps every byte of the person’s policy', () => {
    const merged = mergePolicy(startingPolicy, snippet(lab));
    expect(merged.text).toBe(`// Example/default ACLs for unrestricted connections.
{
\t// Declare static groups of users.
\t"groups": {
\t\t"group:ops": ["kryten@example.com",],
\t},

\t// "tagOwners": {
\t//   "tag:example": ["autogroup:admin"],
\t// },

\t"grants": [
\t\t// Allow all connections.
\t\t{"src": ["*"], "dst": ["*"], "ip": ["*"]},
\t\t// talos-topology:lab
\t\t{
\t\t\t"dst": [
\t\t\t\t"tag:lab-omni"
\t\t\t],
\t\t\t"ip": [
\t\t\t\t"tcp:8443",
\t\t\t\t"tcp:8100"
\t\t\t],
\t\t\t"src": [
\t\t\t\t"group:ops"
\t\t\t]
\t\t},
\t],

\t"ssh": [
\t\t{
\t\t\t"action": "check",
\t\t\t"src":    ["autogroup:member"],
\t\t\t"dst":    ["autogroup:self"],
\t\t\t"users":  ["autogroup:nonroot", "root"],
\t\t},
\t],
\t"tagOwners": {
\t\t// talos-topology:lab
\t\t"tag:lab-omni": [
\t\t\t"group:ops"
\t\t],
\t\t// talos-topology:lab
\t\t"tag:lab-provider": [
\t\t\t"group:ops"
\t\t]
\t},
\t"tests": [
\t\t// talos-topology:lab
\t\t{
\t\t\t"accept": [
\t\t\t\t"tag:lab-omni:8443",
\t\t\t\t"tag:lab-omni:8100"
\t\t\t],
\t\t\t"proto": "tcp",
\t\t\t"src": "group:ops"
\t\t}
\t],
}
`);
    expect(merged.topology).toBe('lab');
    expect(merged.fields.map((field) => field.path)).toEqual([
      'grants[tag:lab-omni]',
      'tagOwners.tag:lab-omni',
      'tagOwners.tag:lab-provider',
      'tests[group:ops]',
    ]);
    expect(merged.fields[0]).toEqual({ path: 'grants[tag:lab-omni]', after: omniGrant });
    expect(merged.unmanaged).toEqual([
      { kind: 'policy grants', id: '*', reason: "no talos-topology marker: a person's entry, kept" },
    ]);
  });

  it('is idempotent: merging the result again changes no byte and reports no difference', () => {
    const once = mergePolicy(startingPolicy, snippet(lab));
    const twice = mergePolicy(once.text, snippet(lab));
    expect(twice.text).toBe(once.text);
    expect(twice.fields).toEqual([]);
  });

  it('rewrites a marked entry in place and reports each field that changes', () => {
    const once = mergePolicy(startingPolicy, snippet(lab)).text;
    const wider = { ...omniGrant, ip: ['tcp:443', 'tcp:8100'] };
    const merged = mergePolicy(once, snippet({ ...lab, grants: [wider] }));
    expect(merged.fields).toEqual([{ path: 'grants[tag:lab-omni].ip', before: omniGrant.ip, after: wider.ip }]);
    const grants = hujson(merged.text).grants as unknown[];
    expect(grants).toEqual([{ src: ['*'], dst: ['*'], ip: ['*'] }, wider]);
    // The marker line stays directly above the rewritten grant.
    expect(merged.text).toMatch(/\/\/ talos-topology:lab\n\t\t\{\n\t\t\t"dst"/);
  });

  it('removes only marked entries that are no longer generated, with their marker line', () => {
    const once = mergePolicy(startingPolicy, snippet(lab)).text;
    const person = once.replace(
      '\t"tagOwners": {\n',
      '\t"tagOwners": {\n\t\t"tag:lab-printer": ["kryten@example.com"],\n',
    );
    const merged = mergePolicy(person, snippet({ grants: [omniGrant], tagOwners: { 'tag:lab-omni': ['group:ops'] } }));
    expect(merged.fields.map((field) => [field.path, 'before' in field, 'after' in field])).toEqual([
      ['tagOwners.tag:lab-provider', true, false],
      ['tests[group:ops]', true, false],
    ]);
    const policy = hujson(merged.text);
    expect(policy.tagOwners).toEqual({ 'tag:lab-printer': ['kryten@example.com'], 'tag:lab-omni': ['group:ops'] });
    expect(policy.tests).toEqual([]);
    expect(merged.text.match(/talos-topology:lab/g)).toHaveLength(2);
  });

  it('never takes over a tag a person owns: the key stays theirs and is reported', () => {
    const person = startingPolicy.replace(
      '\t"grants": [',
      '\t"tagOwners": {\n\t\t"tag:lab-omni": ["kryten@example.com"], // Kryten tags the Omni node\n\t},\n\n\t"grants": [',
    );
    const merged = mergePolicy(person, snippet(lab));
    const policy = hujson(merged.text);
    expect(policy.tagOwners).toEqual({ 'tag:lab-omni': ['kryten@example.com'], 'tag:lab-provider': ['group:ops'] });
    expect(merged.text).toContain('"tag:lab-omni": ["kryten@example.com"], // Kryten tags the Omni node\n');
    expect(merged.fields.map((field) => field.path)).not.toContain('tagOwners.tag:lab-omni');
    expect(merged.unmanaged).toContainEqual({
      kind: 'policy tagOwners',
      id: 'tag:lab-omni',
      reason:
        'defined by a person with owners ["kryten@example.com"]: kept, not taken over (the topology wants ["group:ops"])',
    });
  });

  it('leaves entries marked for another topology alone', () => {
    const other = mergePolicy(startingPolicy, snippet(lab, 'other')).text;
    const merged = mergePolicy(other, snippet({ grants: [omniGrant] }));
    expect(hujson(merged.text).grants).toEqual([{ src: ['*'], dst: ['*'], ip: ['*'] }, omniGrant, omniGrant]);
    expect(merged.unmanaged).toContainEqual({
      kind: 'policy tests',
      id: 'group:ops',
      reason: 'marked for topology "other": kept',
    });
    expect(merged.fields.map((field) => field.path)).toEqual(['grants[tag:lab-omni]']);
  });

  it('adds nothing twice when a person pasted the generated entry without its marker', () => {
    const pasted = startingPolicy.replace(
      '\t\t{"src": ["*"], "dst": ["*"], "ip": ["*"]},\n',
      `\t\t${JSON.stringify(omniGrant)},\n`,
    );
    const merged = mergePolicy(pasted, snippet({ grants: [omniGrant] }));
    expect(merged.text).toBe(pasted);
    expect(merged.unmanaged[0]?.reason).toMatch(
      /without the marker: kept as a person's; put "\/\/ talos-topology:lab"/,
    );
  });

  it('fills an empty policy and a compact one, in the file’s own indentation', () => {
    const empty = mergePolicy('{}', snippet({ grants: [omniGrant] }));
    expect(empty.text).toBe(
      '{\n\t"grants": [\n\t\t// talos-topology:lab\n\t\t' +
        renderPolicyValue(omniGrant, '\t', '\t\t', '\n') +
        '\n\t]\n}',
    );
    const compact = '{\n    "grants": [], "tagOwners": {"tag:x": ["a@b.c"]}\n}\r\n';
    const merged = mergePolicy(compact, snippet(lab));
    const policy = hujson(merged.text);
    expect(policy.grants).toEqual([omniGrant]);
    expect(policy.tagOwners).toEqual({ 'tag:x': ['a@b.c'], ...lab.tagOwners });
    expect(mergePolicy(merged.text, snippet(lab)).text).toBe(merged.text);
  });

  it('keeps the commas right when comments sit between an entry and its comma', () => {
    const live = [
      '{',
      '  "grants": [',
      '    {"src": ["*"], "dst": ["*"], "ip": ["*"]} /* everyone */ ,',
      '    // talos-topology:lab',
      '    {"dst": ["tag:old"], "ip": ["*"], "src": ["group:ops"]} /* old */ ,',
      '  ],',
      '  "tests": [{"src": "kryten@example.com", "accept": ["tag:printer:631"]} // Kryten prints',
      '  ],',
      '}',
    ].join('\n');
    const merged = mergePolicy(live, snippet(lab));
    const policy = hujson(merged.text);
    expect(policy.grants).toEqual([{ src: ['*'], dst: ['*'], ip: ['*'] }, omniGrant]);
    expect(policy.tests).toEqual([{ src: 'kryten@example.com', accept: ['tag:printer:631'] }, omniTest]);
    expect(merged.text).toContain('{"src": ["*"], "dst": ["*"], "ip": ["*"]} /* everyone */ ,\n');
    expect(merged.text).toContain('"accept": ["tag:printer:631"]}, // Kryten prints\n');
    expect(merged.text).not.toContain('tag:old');
    expect(mergePolicy(merged.text, snippet(lab)).text).toBe(merged.text);
  });

  it('merges the generated artifact itself', () => {
    const artifact = tailscalePolicyArtifact(defineTopology(spaceshipsInput()));
    const merged = mergePolicy(startingPolicy, artifact.content);
    expect(merged.topology).toBe('spaceships');
    expect(hujson(merged.text).tagOwners).toEqual({
      'tag:omni': ['autogroup:admin'],
      'tag:pve-infra': ['autogroup:admin'],
    });
  });

  it('refuses a live policy that does not parse, naming the line and column', () => {
    const broken = '{\n\t"grants": [\n\t\t{"src": ["*"] "dst": ["*"]},\n\t],\n}\n';
    expect(() => mergePolicy(broken, snippet(lab))).toThrow(TailnetPolicySyntaxError);
    expect(() => mergePolicy(broken, snippet(lab))).toThrow(
      'the live tailnet policy, line 3, column 17: comma expected (HuJSON)',
    );
    expect(() => mergePolicy('[]', snippet(lab))).toThrow('the live tailnet policy: the policy must be one object');
    expect(() => mergePolicy('{"grants": {}}', snippet(lab))).toThrow(
      'the live tailnet policy, line 1, column 12: "grants" must be a list',
    );
  });

  it('refuses a snippet whose entries carry no marker', () => {
    expect(() => mergePolicy('{}', '{"grants": [{"src": ["*"]}]}')).toThrow(
      'tailscale/policy.hujson: every entry must carry one talos-topology marker',
    );
  });
});

/** A person's policy: random sections, comments, layout, trailing commas and line endings. */
const personPolicy = fc
  .record({
    unit: fc.constantFrom('\t', '  ', '    '),
    eol: fc.constantFrom('\n', '\r\n'),
    trailing: fc.boolean(),
    grants: fc.array(
      fc.record({
        src: fc.constantFrom('*', 'group:ops', 'kryten@example.com', 'tag:lab-omni'),
        dst: fc.constantFrom('*', 'tag:lab-omni', 'tag:printer', 'autogroup:self'),
        compact: fc.boolean(),
        note: fc.boolean(),
        aside: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    tags: fc.uniqueArray(fc.constantFrom<string>('tag:printer', 'tag:lab-omni', 'tag:nas'), { maxLength: 2 }),
    acls: fc.boolean(),
    order: fc.constantFrom(0, 1, 2),
  })
  .map((p) => {
    let note = 0;
    const comment = (indent: string): string => `// note-${++note}${p.eol}${indent}`;
    const inner = p.unit + p.unit;
    const close = p.trailing ? ',' : '';
    // A grant as written, and what follows it before its comma; the merge may put a comma after the last one.
    const grantPieces = p.grants.map((grant) => {
      const value = { src: [grant.src], dst: [grant.dst], ip: ['*'] };
      const text = grant.compact ? JSON.stringify(value) : renderPolicyValue(value, p.unit, inner, p.eol);
      return {
        entry: `${p.eol}${inner}${grant.note ? comment(inner) : ''}${text}`,
        tail: grant.aside ? ' /* aside */ ' : '',
      };
    });
    const grants = grantPieces.map((piece) => piece.entry + piece.tail);
    const tags = p.tags.map((tag) => `${p.eol}${inner}${comment(inner)}"${tag}": ["kryten@example.com"]`);
    const acls = `${p.unit}"acls": [/* legacy */ {"action": "accept", "src": ["*"], "dst": ["*:*"]}]`;
    const sections = [
      `${p.unit}${comment(p.unit)}"grants": [${grants.join(',')}${grants.length ? close : ''}${p.eol}${p.unit}]`,
      ...(tags.length ? [`${p.unit}"tagOwners": {${tags.join(',')}${close}${p.eol}${p.unit}}`] : []),
      ...(p.acls ? [acls] : []),
    ];
    const ordered = [...sections.slice(p.order), ...sections.slice(0, p.order)];
    return {
      text: `// ${'policy'}${p.eol}{${p.eol}${ordered.join(`,${p.eol}`)}${close}${p.eol}}${p.eol}`,
      notes: note,
      tags: p.tags,
      // Each of the person's entries, byte for byte as written.
      pieces: [...grantPieces, ...[...tags, ...(p.acls ? [acls] : [])].map((entry) => ({ entry, tail: '' }))],
    };
  });

const desiredSet = fc.record({
  ports: fc.uniqueArray(fc.constantFrom(443, 8443, 8100), { minLength: 1, maxLength: 2 }),
  admins: fc.constantFrom(['group:ops'], ['kryten@example.com', 'group:ops']),
  provider: fc.boolean(),
});

function desiredFrom(set: {
  readonly ports: readonly number[];
  readonly admins: readonly string[];
  readonly provider: boolean;
}): Desired {
  const ip = set.ports.map((port) => `tcp:${port}`);
  return {
    grants: [{ dst: ['tag:lab-omni'], ip, src: set.admins }],
    tagOwners: Object.fromEntries(
      ['tag:lab-omni', ...(set.provider ? ['tag:lab-provider'] : [])].map((tag) => [tag, set.admins]),
    ),
    tests: set.admins.map((src) => ({ accept: set.ports.map((port) => `tag:lab-omni:${port}`), proto: 'tcp', src })),
  };
}

/**
 * The person's entries of a policy, as values: merging a snippet with one placeholder grant removes every entry
 * marked for `lab`; the placeholder is then left out.
 */
function personEntries(text: string): { grants: unknown[]; tagOwners: unknown } {
  const placeholder = { dst: ['placeholder'] };
  const policy = hujson(mergePolicy(text, snippet({ grants: [placeholder] })).text);
  const grants = (policy.grants as unknown[]).filter((grant) => JSON.stringify(grant) !== JSON.stringify(placeholder));
  return { grants, tagOwners: policy.tagOwners ?? {} };
}

describe('mergePolicy: properties', () => {
  it('keeps every comment and entry of the person, and merging again changes nothing', () => {
    fc.assert(
      fc.property(personPolicy, desiredSet, desiredSet, (live, first, second) => {
        const once = mergePolicy(live.text, snippet(desiredFrom(first)));
        const twice = mergePolicy(once.text, snippet(desiredFrom(first)));
        expect(twice.text).toBe(once.text);
        expect(twice.fields).toEqual([]);
        // A later topology change rewrites and removes only marked entries.
        const changed = mergePolicy(once.text, snippet(desiredFrom(second)));
        for (const text of [once.text, changed.text]) {
          for (let note = 1; note <= live.notes; note++) expect(text).toContain(`// note-${note}`);
          for (const { entry, tail } of live.pieces) {
            expect(text.includes(entry + tail) || text.includes(`${entry},${tail}`)).toBe(true);
          }
          expect(personEntries(text)).toEqual(personEntries(live.text));
          expect(text.startsWith(live.text.slice(0, live.text.indexOf('{')))).toBe(true);
        }
        // The generated entries are there once each, except tags a person owns.
        const policy = hujson(changed.text);
        const desired = desiredFrom(second);
        const ours = (policy.grants as Loose[]).filter((grant) => (grant.dst as string[])[0] === 'tag:lab-omni');
        expect(ours.filter((grant) => JSON.stringify(grant) === JSON.stringify(desired.grants?.[0]))).toHaveLength(1);
        for (const [tag, owners] of Object.entries(desired.tagOwners ?? {})) {
          expect((policy.tagOwners as Loose)[tag]).toEqual(live.tags.includes(tag) ? ['kryten@example.com'] : owners);
        }
        const bySource = (a: unknown, b: unknown): number =>
          ((a as Loose).src as string).localeCompare((b as Loose).src as string);
        expect([...(policy.tests as unknown[])].sort(bySource)).toEqual([...(desired.tests ?? [])].sort(bySource));
      }),
      { numRuns: 150 },
    );
  });
});
