import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { checkTopology } from './index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

function findings(mutate: (input: Loose) => void): { path: string; message: string }[] {
  const input = spaceshipsInput() as Loose;
  mutate(input);
  return checkTopology(defineTopology(input))
    .filter((issue) => issue.rule === 'guest-login')
    .map(({ path, message }) => ({ path, message }));
}

describe('guest-login', () => {
  it('holds for the seed, whose Holly has an SSH key', () => expect(findings(() => {})).toEqual([]));

  it('fires when Omni runs on an imported cloud image nobody can log in to', () => {
    expect(findings((input) => delete input.guests.holly.cloudInit)).toEqual([
      {
        path: 'guests.holly.cloudInit',
        message: expect.stringMatching(/^omni runs on this VM, imported from local:import\/debian-12-genericcloud/),
      },
    ]);
  });

  it('accepts a password reference instead of a key, and an installer ISO without either', () => {
    expect(findings((input) => (input.guests.holly.cloudInit = { password: { env: 'HOLLY_PASSWORD' } }))).toEqual([]);
    expect(
      findings((input) => {
        delete input.guests.holly.cloudInit;
        input.guests.holly.install = { iso: 'local:iso/debian-12.8.0-amd64-netinst.iso' };
      }),
    ).toEqual([]);
  });
});
