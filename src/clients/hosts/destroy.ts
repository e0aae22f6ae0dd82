import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, FieldDiff, Plan } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import { dockerCommand, shellQuote, STACK_MANIFEST } from './probe.js';
import type { HostsPlanOptions, HostWork } from './steps.js';
import { buildHostsSteps, closeHostsSteps, runPooled } from './steps.js';

/** Options of {@link planHostsDestroy} and {@link destroyHosts}. */
export interface HostsDestroyOptions extends HostsPlanOptions {
  /**
   * Also remove the stacks' named volumes (`docker compose down --volumes`): the data they hold (e.g. Omni's
   * Tailscale state) is lost. Without it they are kept, so a new apply finds its data again.
   */
  readonly removeVolumes?: boolean;
}

/** What {@link destroyHosts} did. */
export interface HostsDestroyResult {
  /** The plan it worked from. */
  readonly plan: Plan;
  /** The removals made, host by host. */
  readonly applied: readonly Change[];
  /** Always empty: what destroy keeps is a `no-op` in the plan, with the reason. */
  readonly skipped: readonly Change[];
}

/** What destroy does in one stack folder. */
interface StackTeardown {
  /** The stack folder. */
  readonly dir: string;
  /** Run `docker compose down` there. */
  readonly down: boolean;
  /** Files to remove: by name, with the SHA-256 the file must still have (`undefined`: remove as it is). */
  readonly remove: ReadonlyMap<string, string | undefined>;
}

/** A host's teardown and the changes it carries out. */
interface HostTeardown {
  readonly host: HostWork;
  readonly stacks: readonly StackTeardown[];
  readonly changes: readonly Change[];
}

/**
 * Plans the removal of the stacks the SDK placed on each host, reading each host with the one probe command `plan`
 * uses. A stack folder holding the SDK's manifest (`.talos-sdk.json`, written by apply) is the SDK's: its stack is
 * taken down (`delete` of the `stack`, with its containers) and the files the manifest lists are removed when their
 * content is still what the SDK wrote; a file edited on the host since is kept and listed (`no-op`), unless `force`.
 * `.env` goes only when it holds nothing but the variables the stack declares (apply merges them into a person's
 * file), and the manifest last. A folder without a manifest is not the SDK's and is left alone; a stack whose
 * `compose.yaml` was edited by hand is not taken down without `force`, as `down` would act on the edited file.
 *
 * @param set - The artifact set.
 * @param options - Credentials, `force`, `removeVolumes`.
 * @returns The plan: `delete` for what goes, `no-op` with the reason for what stays.
 *
 * @example
 * ```ts
 * const credentials = await hostsCredentialsFromEnv(process.env);
 * const plan = await planHostsDestroy(await readArtifactSet('out'), { credentials, env: process.env, outDir: 'out' });
 * process.stdout.write(formatPlan(plan));
 * ```
 */
export async function planHostsDestroy(set: ArtifactSet, options: HostsDestroyOptions): Promise<Plan> {
  const steps = await buildHostsSteps(set, options);
  closeHostsSteps(steps);
  return createPlan(
    'hosts',
    steps.hosts.flatMap((host) => teardownOf(host, options).changes),
  );
}

/**
 * Plans (see {@link planHostsDestroy}), then on each host: `docker compose down` in each stack the SDK placed
 * (removing its containers and its networks; its named volumes are kept unless `removeVolumes`), then removes the
 * SDK's files, each only if its SHA-256 on the host is still the one the SDK wrote (checked again at removal, so a
 * file edited after the plan survives), the manifest, and the folder when it is left empty. A second run finds
 * nothing to remove.
 *
 * @param set - The artifact set.
 * @param options - Credentials, `force`, `removeVolumes`.
 * @returns The plan and the removals made.
 * @throws `HostConnectionError`, {@link HostCommandError} from the host where a command failed.
 *
 * @example
 * ```ts
 * const credentials = await hostsCredentialsFromEnv(process.env);
 * const { applied } = await destroyHosts(await readArtifactSet('out'), { credentials, env: process.env, outDir: 'out' });
 * ```
 */
export async function destroyHosts(set: ArtifactSet, options: HostsDestroyOptions): Promise<HostsDestroyResult> {
  const steps = await buildHostsSteps(set, options);
  try {
    const teardowns = steps.hosts.map((host) => teardownOf(host, options));
    const plan = createPlan(
      'hosts',
      teardowns.flatMap((teardown) => teardown.changes),
    );
    const done = await runPooled(teardowns, options.concurrency ?? 8, (teardown) => destroyHost(teardown, options));
    return { plan, applied: done.flat(), skipped: [] };
  } finally {
    closeHostsSteps(steps);
  }
}

async function destroyHost(teardown: HostTeardown, options: HostsDestroyOptions): Promise<Change[]> {
  const { host } = teardown;
  const guest = host.host.access.guest;
  const docker = dockerCommand(host.host.access.user);
  for (const stack of teardown.stacks) {
    if (stack.down) {
      const volumes = options.removeVolumes ? ' --volumes' : '';
      options.onProgress?.(`${guest}: docker compose down${volumes} in ${stack.dir}`);
      await host.connection.run(
        `cd -- ${shellQuote(stack.dir)} && ${docker} compose down${volumes}`,
        `docker compose down in ${stack.dir}`,
      );
    }
    await host.connection.run(removalScript(stack), `removing the SDK's files from ${stack.dir}`);
  }
  return teardown.changes.filter((change) => change.action === 'delete');
}

/**
 * Removes each file only while it holds what the SDK wrote (the check runs on the host, right before `rm`), then the
 * manifest, then the folder if nothing is left in it.
 */
function removalScript(stack: StackTeardown): string {
  const at = (name: string): string => shellQuote(`${stack.dir}/${name}`);
  const lines = [...stack.remove].map(([name, sha256]) =>
    sha256 === undefined
      ? `rm -f -- ${at(name)}`
      : `[ "$(sha256sum -- ${at(name)} 2>/dev/null | cut -c1-64)" = '${sha256}' ] && rm -f -- ${at(name)}`,
  );
  lines.push(`rm -f -- ${at(STACK_MANIFEST)}`, `rmdir -- ${shellQuote(stack.dir)} 2>/dev/null`, 'true');
  return lines.join('\n');
}

function teardownOf(host: HostWork, options: HostsDestroyOptions): HostTeardown {
  const guest = host.host.access.guest;
  const changes: Change[] = [];
  const stacks: StackTeardown[] = [];
  const dockerReady = host.state.dockerVersion !== undefined && host.state.composeVersion !== undefined;
  for (const { stack, remote } of host.stacks) {
    const dir = stack.remoteDir;
    const id = (name: string): string => `${guest}:${dir}/${name}`;
    const live = (name: string): string | undefined => host.state.hashes.get(`${dir}/${name}`);
    const stackId = `${guest}:${stack.name}`;
    const manifest = remote.manifest;
    if (!manifest) {
      const present = stack.inputs.files.some((file) => live(file.name) !== undefined) || remote.containers.length > 0;
      if (present) {
        changes.push(
          createChange('hosts', 'stack', stackId, 'no-op', [], [`no ${STACK_MANIFEST}: not placed by the SDK; kept`]),
        );
      }
      continue;
    }
    const composeEdited = live('compose.yaml') !== undefined && live('compose.yaml') !== manifest.files['compose.yaml'];
    if (composeEdited && !options.force) {
      changes.push(
        createChange(
          'hosts',
          'stack',
          stackId,
          'no-op',
          [],
          [
            'compose.yaml edited on the host since the SDK wrote it: not taken down and nothing removed (destroy with --force to remove it anyway)',
          ],
        ),
      );
      continue;
    }
    const down = dockerReady && live('compose.yaml') !== undefined;
    const fields: FieldDiff[] = remote.containers.map((container) => ({
      path: `containers.${container.service}`,
      before: container.state,
      after: '(removed)',
    }));
    changes.push(
      createChange('hosts', 'stack', stackId, 'delete', fields, [
        down
          ? `docker compose down: containers and networks removed, named volumes ${options.removeVolumes ? 'removed (--volumes)' : 'kept'}`
          : 'no compose.yaml or no Docker on the host: nothing to take down',
      ]),
    );
    const remove = new Map<string, string | undefined>();
    for (const [name, written] of Object.entries(manifest.files)) {
      const current = live(name);
      const probed = stack.inputs.files.some((file) => file.name === name);
      if (probed && current === undefined) continue;
      if (!probed || current === written) {
        remove.set(name, written);
        changes.push(
          createChange(
            'hosts',
            'file',
            id(name),
            'delete',
            [],
            [probed ? undefined : 'no longer generated: removed if still as the SDK wrote it'],
          ),
        );
      } else if (options.force) {
        remove.set(name, undefined);
        changes.push(createChange('hosts', 'file', id(name), 'delete', [], ['edited on the host; removed (force)']));
      } else {
        changes.push(
          createChange(
            'hosts',
            'file',
            id(name),
            'no-op',
            [],
            ['edited on the host since the SDK wrote it: kept (destroy with --force to remove it)'],
          ),
        );
      }
    }
    if (remote.envKeys.size > 0) {
      const foreign = [...remote.envKeys.keys()].filter((key) => !stack.inputs.variables.includes(key)).sort();
      if (foreign.length && !options.force) {
        changes.push(
          createChange(
            'hosts',
            'env',
            id('.env'),
            'no-op',
            [],
            [`holds lines the SDK does not write (${foreign.join(', ')}): kept (destroy with --force to remove it)`],
          ),
        );
      } else {
        remove.set('.env', undefined);
        changes.push(createChange('hosts', 'env', id('.env'), 'delete', [], ['its values go with it']));
      }
    }
    changes.push(
      createChange('hosts', 'file', id(STACK_MANIFEST), 'delete', [], ['the SDK no longer claims the folder']),
    );
    stacks.push({ dir, down, remove });
  }
  return { host, stacks, changes };
}
