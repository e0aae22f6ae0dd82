/**
 * Records of what `validate`, `generate` and `check` found, so that they answer again without reading, validating or
 * hashing anything while nothing it rests on changed: git's index, for one topology and its output folder.
 *
 * When `validate` finds a topology valid, or `generate` or `check` find an output folder current by its manifest
 * (`currentArtifactPaths`: the topology's digest, the SDK version and every file's SHA-256 all match), the run records
 * the signature (`file-signature.ts`) of every file that verdict rests on (the topology file and the files its
 * `{ file }` references name; for a folder, each of its files and its manifest, and the identity of the folder and its
 * subfolders) with the verdict itself: the rule warnings, and the folder's paths. A later run of the same command from
 * the same build (the hash on its script's first line), for the same topology file, folder and skipped rules, in which
 * every one of those files still has its recorded signature and the folder holds no lock and no journal, gives the
 * recorded verdict. Anything else (a file written, touched, replaced or removed, another reference, another build) and
 * the run works as before, and records again.
 *
 * Never recorded: a module topology (`.ts`, `.js`), which may read anything, and a file changed within
 * {@link SAME_TICK_MARGIN_MS} of the run's start. The records sit in a per-user folder only this user can write
 * ({@link privateCacheFolder}), one file per command, topology, folder and skipped rules, written `0600` through a
 * temporary file and a rename.
 *
 * @module
 */
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LOCK_FILE } from '../generators/folder-lock.js';
import { replaceFileAtomically } from '../generators/files.js';
import { RUN_JOURNAL } from '../generators/run-journal.js';
import type { TopologyIssue } from '../models/issue.js';
import { isTopologyIssue } from '../models/issue.js';
import type { CacheSurroundings } from './compile-cache.js';
import { isPrivateFolder, privateCacheFolder, pruneCacheFolder, userCacheFolder } from './compile-cache.js';
import type { FileSignature } from './file-signature.js';
import { fileSignature, folderIdentity, SAME_TICK_MARGIN_MS } from './file-signature.js';
import { fingerprint } from './fingerprint.js';

/** What a command found: the topology's warnings and, for an output folder found current, its paths. */
export interface RecordedVerdict {
  /** The topology file, or the built-in example's name. */
  readonly source: string;
  /** Whether the topology is the built-in example. */
  readonly example: boolean;
  /** The paths `generate` writes in the output folder (the manifest's entries and the manifest), sorted; none for
   * `validate`. */
  readonly paths: readonly string[];
  /** The rule warnings, at their lines in the topology file. */
  readonly warnings: readonly TopologyIssue[];
}

/** The commands that record their verdicts. */
export type RecordingCommand = 'validate' | 'generate' | 'check';

/** What a record is for: one command of one build, on one topology and folder, with the same rules skipped. */
export interface VerdictRecordRequest {
  /** The command. */
  readonly command: RecordingCommand;
  /** The hash on the command script's first line: the build of the validator, the rules and the generators. */
  readonly build: string;
  /** The topology file (YAML or JSON), or `undefined` for the built-in example (part of the build). */
  readonly topologyFile: string | undefined;
  /** The output folder, or `undefined` for `validate`, whose verdict rests on the topology alone. */
  readonly out: string | undefined;
  /** The rules `--skip-rule` names. */
  readonly skipRules: readonly string[];
  /** Where the per-user cache folder is. */
  readonly surroundings: CacheSurroundings;
  /** When the run started, in milliseconds since the epoch (default: when the record is made). */
  readonly startedAt?: number;
}

/** A path and its signature (or, for a folder, its identity). */
type Signed = readonly [path: string, signature: string];

/** A record as stored. */
interface StoredRecord {
  readonly key: string;
  readonly inputs: readonly Signed[];
  readonly folders: readonly Signed[];
  readonly files: readonly Signed[];
  readonly verdict: RecordedVerdict;
}

/** The bookkeeping files whose presence means a run is changing the folder or was interrupted there. */
const BOOKKEEPING_FILES = [LOCK_FILE, RUN_JOURNAL];

function isSignedList(value: unknown): value is Signed[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && typeof item[1] === 'string',
    )
  );
}

function isVerdict(value: unknown): value is RecordedVerdict {
  const verdict = value as Partial<Record<keyof RecordedVerdict, unknown>> | null;
  return (
    typeof verdict === 'object' &&
    verdict !== null &&
    typeof verdict.source === 'string' &&
    typeof verdict.example === 'boolean' &&
    Array.isArray(verdict.paths) &&
    verdict.paths.every((path) => typeof path === 'string') &&
    Array.isArray(verdict.warnings) &&
    verdict.warnings.every(isTopologyIssue)
  );
}

/** Reads a record, or `undefined` when there is none or it is not one this code wrote. */
function readRecord(file: string): StoredRecord | undefined {
  let data: Partial<Record<keyof StoredRecord, unknown>>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as typeof data;
  } catch {
    return undefined;
  }
  const { key, inputs, folders, files, verdict } = data ?? {};
  if (typeof key !== 'string' || !isSignedList(inputs) || !isSignedList(folders) || !isSignedList(files)) {
    return undefined;
  }
  return isVerdict(verdict) ? { key, inputs, folders, files, verdict } : undefined;
}

/** Whether each path still has the signature recorded for it. */
function allUnchanged(list: readonly Signed[], signatureOf: (path: string) => string | undefined): boolean {
  return list.every(([path, signature]) => signatureOf(path) === signature);
}

/** Signs paths, or gives `undefined` when one is missing or changed too recently to stand for its content. */
function signAll(
  paths: readonly string[],
  sign: (path: string) => FileSignature | undefined,
  settledBefore: number,
): Signed[] | undefined {
  const signed: Signed[] = [];
  for (const path of paths) {
    const signature = sign(path);
    if (!signature || signature.changedAtMs > settledBefore) return undefined;
    signed.push([path, signature.signature]);
  }
  return signed;
}

/** The folders the paths are in, the output folder itself (`.`) first. */
function foldersOf(paths: readonly string[]): string[] {
  const folders = new Set<string>(['.']);
  for (const path of paths) {
    for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) folders.add(folder);
  }
  return [...folders];
}

/**
 * Signs an output folder's files and identifies it and its subfolders, or gives `undefined` when one is missing or
 * changed too recently.
 */
function signFolder(
  out: string,
  paths: readonly string[],
  settledBefore: number,
): Pick<StoredRecord, 'files' | 'folders'> | undefined {
  const files = signAll(paths, (path) => fileSignature(join(out, path), 'own'), settledBefore);
  const folders: Signed[] = [];
  for (const path of foldersOf(paths)) {
    const identity = folderIdentity(join(out, path));
    if (!identity) return undefined;
    folders.push([path, identity]);
  }
  return files && { files, folders };
}

/**
 * The record of one command on one topology (and output folder): looked up before the command loads anything, written
 * when the command has found the topology valid (and the folder current).
 */
export class VerdictRecord {
  /** When the run started: a file changed after `startedAt - SAME_TICK_MARGIN_MS` is not recorded. */
  private readonly startedAt: number;
  private readonly out: string | undefined;
  private readonly key: string;
  private readonly name: string;

  /**
   * @param request - The command, build, topology, folder and skipped rules the record is for.
   */
  constructor(private readonly request: VerdictRecordRequest) {
    const { command, topologyFile, out, skipRules } = request;
    this.startedAt = request.startedAt ?? Date.now();
    this.out = out === undefined ? undefined : resolve(out);
    const what = JSON.stringify({
      command,
      // As typed too: the verdict names the file so in its messages.
      topology: topologyFile === undefined ? null : [topologyFile, resolve(topologyFile)],
      out: this.out ?? null,
      skip: [...new Set(skipRules)].sort(),
    });
    // One file per command, topology, folder and skipped rules: a later build's record replaces an earlier one's.
    this.name = `${command}-${fingerprint(what)}.json`;
    this.key = `${what}\n${request.build}`;
  }

  /**
   * The recorded verdict, when the record is for this run and nothing it rests on has changed.
   *
   * @returns The verdict, or `undefined`: the command does its work.
   */
  lookup(): RecordedVerdict | undefined {
    const { surroundings } = this.request;
    const folder = userCacheFolder(surroundings, 'verdicts');
    if (!folder || !isPrivateFolder(folder, surroundings.uid)) return undefined;
    const record = readRecord(join(folder, this.name));
    if (record?.key !== this.key) return undefined;
    const inFolder = (path: string): string => join(this.out ?? '.', path);
    const current =
      allUnchanged(record.inputs, (path) => fileSignature(path, 'follow')?.signature) &&
      allUnchanged(record.folders, (path) => folderIdentity(inFolder(path))) &&
      allUnchanged(record.files, (path) => fileSignature(inFolder(path), 'own')?.signature) &&
      (this.out === undefined ||
        BOOKKEEPING_FILES.every((path) => lstatSync(inFolder(path), { throwIfNoEntry: false }) === undefined));
    return current ? record.verdict : undefined;
  }

  /**
   * Records what the command found. Records nothing when a file changed too recently for its signature to stand for
   * its content, or when the cache folder is not private; never throws (an unrecorded verdict costs the next run the
   * work it would have saved).
   *
   * @param inputs - The files the topology was read from (`LoadedTopology.files`).
   * @param verdict - The verdict to give again.
   */
  remember(inputs: readonly string[], verdict: RecordedVerdict): void {
    try {
      const settledBefore = this.startedAt - SAME_TICK_MARGIN_MS;
      const signedInputs = signAll(
        inputs.map((path) => resolve(path)),
        (path) => fileSignature(path, 'follow'),
        settledBefore,
      );
      const folder =
        this.out === undefined ? { files: [], folders: [] } : signFolder(this.out, verdict.paths, settledBefore);
      const cache = privateCacheFolder(this.request.surroundings, 'verdicts');
      if (!signedInputs || !folder || !cache) return;
      const record: StoredRecord = { key: this.key, inputs: signedInputs, ...folder, verdict };
      replaceFileAtomically(join(cache, this.name), JSON.stringify(record), 0o600);
      pruneCacheFolder(cache, this.name, () => false);
    } catch {
      // Left for the next run to record.
    }
  }
}
