/**
 * The command-line options that shape a plan (which targets, what the clients may do): `plan --save` records them in
 * the plan file and `apply FILE` plans and applies with them, so the plan it checks is made exactly as the saved one
 * was. Like `terraform apply planfile`, which refuses `-var`, `apply FILE` refuses them on its own command line.
 *
 * @module
 */
import type { SavedOptionValue, SavedPlan } from '../orchestration/saved-plan.js';
import { SavedPlanError } from '../orchestration/saved-plan.js';
import type { CliArgs } from './args.js';
import { UsageError } from './args.js';
import type { OptionName } from './option-table.js';

type PlanShapingKey =
  | 'targets'
  | 'cluster'
  | 'tokenSecretFile'
  | 'tokenSecretEnvFile'
  | 'regenerateToken'
  | 'skipRootOnly'
  | 'prune'
  | 'adopt'
  | 'mintAuthKeys'
  | 'providerKeyFile'
  | 'providerKeyEnvFile'
  | 'providerKeyHost'
  | 'trustNewHostKeys'
  | 'force';

/** Each plan-shaping option: its flag (the key in the file) and its field of {@link CliArgs}. */
const PLAN_SHAPING: readonly (readonly [OptionName, PlanShapingKey])[] = [
  ['target', 'targets'],
  ['cluster', 'cluster'],
  ['token-secret-file', 'tokenSecretFile'],
  ['token-secret-env-file', 'tokenSecretEnvFile'],
  ['regenerate-token', 'regenerateToken'],
  ['skip-root-only', 'skipRootOnly'],
  ['prune', 'prune'],
  ['adopt', 'adopt'],
  ['mint-auth-keys', 'mintAuthKeys'],
  ['provider-key-file', 'providerKeyFile'],
  ['provider-key-env-file', 'providerKeyEnvFile'],
  ['provider-key-host', 'providerKeyHost'],
  ['trust-new-host-keys', 'trustNewHostKeys'],
  ['force', 'force'],
];

/** Whether the command line gave an option (a switch on, a value, a `--target`). */
function given(value: CliArgs[PlanShapingKey]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
}

/**
 * The plan-shaping options of a command line, for the plan file.
 *
 * @param args - The command line of `plan --save`.
 * @returns Each option by its flag's name; `null` for a value not given.
 */
export function planShapingOptions(args: CliArgs): Record<string, SavedOptionValue> {
  return Object.fromEntries(PLAN_SHAPING.map(([flag, key]) => [flag, args[key] ?? null]));
}

/**
 * The command line of `apply FILE` with the options the plan was saved with.
 *
 * @param args - The command line of `apply FILE`.
 * @param saved - The saved plan.
 * @returns `args` with every plan-shaping option as saved.
 * @throws `UsageError` when the command line gives a plan-shaping option itself; `SavedPlanError` when the file
 *   holds an option of the wrong type.
 */
export function argsOfSavedPlan(args: CliArgs, saved: SavedPlan): CliArgs {
  const file = args.file ?? '';
  const extra = PLAN_SHAPING.filter(([, key]) => given(args[key])).map(([flag]) => `--${flag}`);
  if (extra.length > 0) {
    throw new UsageError(
      `apply ${file} plans and applies with the options the plan was saved with; drop ${extra.join(', ')} ` +
        '(plan --save again to change them)',
    );
  }
  const merged: Record<string, unknown> = { ...args };
  for (const [flag, key] of PLAN_SHAPING) {
    const value = saved.options[flag] ?? undefined;
    const expected = typeof args[key];
    const fits =
      value === undefined ||
      (Array.isArray(args[key])
        ? Array.isArray(value)
        : expected === 'undefined'
          ? typeof value === 'string'
          : typeof value === expected);
    if (!fits) {
      throw new SavedPlanError(
        file,
        'invalid',
        `${file} is not a saved plan of talos-topology (option "${flag}" is malformed); plan again with --save`,
      );
    }
    if (value !== undefined) merged[key] = value;
  }
  return merged as unknown as CliArgs;
}
