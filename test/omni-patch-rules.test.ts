import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OMNI_OWNED_FIELDS, OMNI_OWNED_KINDS } from '../src/rules/talos-facts.js';
import {
  OMNI_FORBIDDEN_DOCUMENTS,
  OMNI_FORBIDDEN_FIELDS,
  configPatchProblem,
} from '../src/testing/omni/config-patch-rules.js';

/**
 * Differences between the SDK's statement of Omni's patch rules (`src/rules/talos-facts.ts`) and the emulator's
 * (`src/testing/omni/config-patch-rules.ts`, written from Omni's `client/pkg/omni/resources/omni/config_patch.go`)
 * that are known and justified, each with its reason. Empty: the two agree today. An entry here is a decision
 * someone made and explained; any other difference fails the test below.
 */
const KNOWN_DIFFERENCES: readonly { readonly item: string; readonly only: 'sdk' | 'emulator'; readonly why: string }[] =
  [];

/** What one list holds that the other does not, minus the known differences. */
function unexplained(sdk: readonly string[], emulator: readonly string[]): { sdk: string[]; emulator: string[] } {
  const known = (item: string, only: 'sdk' | 'emulator'): boolean =>
    KNOWN_DIFFERENCES.some((difference) => difference.item === item && difference.only === only);
  return {
    sdk: sdk.filter((item) => !emulator.includes(item) && !known(item, 'sdk')).sort(),
    emulator: emulator.filter((item) => !sdk.includes(item) && !known(item, 'emulator')).sort(),
  };
}

describe("Omni's patch rules: the SDK's rules against the emulator's own statement", () => {
  it('come from two sources: no emulator imports the SDK rules', async () => {
    const root = join(import.meta.dirname, '..', 'src', 'testing');
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const borrowing: string[] = [];
    for (const file of files) {
      if (/from '[./]*rules\//.test(await readFile(join(root, file), 'utf8'))) borrowing.push(file);
    }
    expect(borrowing).toEqual([]);
  });

  it('name the same forbidden legacy fields', () => {
    expect(unexplained(OMNI_OWNED_FIELDS, OMNI_FORBIDDEN_FIELDS)).toEqual({ sdk: [], emulator: [] });
  });

  it('name the same forbidden documents', () => {
    expect(unexplained(OMNI_OWNED_KINDS, OMNI_FORBIDDEN_DOCUMENTS)).toEqual({ sdk: [], emulator: [] });
  });

  it('explain every known difference, and list none that is no longer one', () => {
    for (const { item, only, why } of KNOWN_DIFFERENCES) {
      expect(why.length).toBeGreaterThan(20);
      const [mine, theirs] =
        only === 'sdk'
          ? [
              [...OMNI_OWNED_FIELDS, ...OMNI_OWNED_KINDS],
              [...OMNI_FORBIDDEN_FIELDS, ...OMNI_FORBIDDEN_DOCUMENTS],
            ]
          : [
              [...OMNI_FORBIDDEN_FIELDS, ...OMNI_FORBIDDEN_DOCUMENTS],
              [...OMNI_OWNED_FIELDS, ...OMNI_OWNED_KINDS],
            ];
      expect(mine).toContain(item);
      expect(theirs).not.toContain(item);
    }
  });

  it('has the emulator refuse each field the SDK rules name, whatever its value, and each document', () => {
    const legacy = (field: string): string => {
      const parts = field.split('.');
      return parts.map((part, index) => `${'  '.repeat(index)}${part}:`).join('\n') + ' {}\n';
    };
    for (const field of OMNI_OWNED_FIELDS) expect(configPatchProblem(legacy(field)), field).toContain(field);
    for (const kind of OMNI_OWNED_KINDS) {
      expect(configPatchProblem(`apiVersion: v1alpha1\nkind: ${kind}\n`), kind).toContain(kind);
    }
  });
});
