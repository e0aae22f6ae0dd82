import type { ParseError } from 'jsonc-parser';
import { parse, printParseErrorCode } from 'jsonc-parser';

/**
 * The top-level sections of a tailnet policy file (Tailscale "Syntax reference for the tailnet policy file"; the
 * `ACL` struct of tailscale-client-go-v2 `policyfile.go`). The control plane refuses any other key.
 */
const POLICY_SECTIONS = new Set([
  'acls',
  'attrConfig',
  'autoApprovers',
  'defaultSrcPosture',
  'derpMap',
  'disableIPv4',
  'grants',
  'groups',
  'hosts',
  'ipsets',
  'nodeAttrs',
  'oneCGNATRoute',
  'postures',
  'randomizeClientPort',
  'ssh',
  'tagOwners',
  'tests',
  'sshTests',
]);

/** Why a policy was refused: `status` 400 for a file that cannot be used, 200 with `data` for failed `tests`. */
export interface PolicyRefusal {
  /** The API's `message`. */
  readonly message: string;
  /** Per-test failures (`[{user, errors}]`, the `APIErrorData` shape), for failed tests only. */
  readonly data?: readonly {
    /** The test's `src`. */
    readonly user: string;
    /** What failed. */
    readonly errors: readonly string[];
  }[];
}

type Json = Record<string, unknown>;

/** A parsed HuJSON value, or why it could not be parsed. */
export type HuJsonParse =
  | {
      /** The value. */
      readonly value: unknown;
    }
  | {
      /** The parse error. */
      readonly error: string;
    };

/** A policy the control plane refuses, with the status it answers. */
export interface PolicyCheckFailure {
  /** 400 for a file that cannot be used, 200 for failed `tests` (the validate endpoint's two answers). */
  readonly status: 400 | 200;
  /** The body. */
  readonly refusal: PolicyRefusal;
}

/**
 * Parses HuJSON (JSON with comments and trailing commas) the way the control plane reads a policy file.
 *
 * @param text - The file.
 * @returns The value, or the parse error's message.
 */
export function parseHuJson(text: string): HuJsonParse {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first) return { error: `invalid HuJSON at offset ${first.offset}: ${printParseErrorCode(first.error)}` };
  return { value };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Tags a selector names: `tag:x` and the host part of `tag:x:443`. */
function tagsIn(selectors: readonly string[]): string[] {
  return selectors.filter((s) => s.startsWith('tag:')).map((s) => s.split(':').slice(0, 2).join(':'));
}

/** A tailnet member as the control plane knows it: its login name and role. */
export interface TailnetMember {
  /** Login name, e.g. `lister@spaceships.work`. */
  readonly loginName: string;
  /** Role in the tailnet (`owner`, `admin`, `member`, `it-admin`, `network-admin`, `billing-admin`, `auditor`). */
  readonly role: string;
}

/** Who the policy's principals stand for: the file's `groups` and the tailnet's members. */
interface Principals {
  readonly groups: Json;
  readonly members: readonly TailnetMember[];
}

/**
 * Whether a principal of a rule's `src` covers a user: `*`, the user itself, a `group:` of the file's `groups` that
 * lists them, `autogroup:member` (every member) or `autogroup:admin` (members with the Owner or Admin role).
 */
function covers(principal: string, user: string, principals: Principals): boolean {
  if (principal === '*' || principal === user) return true;
  if (principal.startsWith('group:')) return strings(principals.groups[principal]).includes(user);
  const member = principals.members.find((candidate) => candidate.loginName === user);
  if (principal === 'autogroup:member') return member !== undefined;
  if (principal === 'autogroup:admin') return member?.role === 'owner' || member?.role === 'admin';
  return false;
}

/** Whether a grant lets `user` reach `host:port`: its `src` covers the user, `dst` the host and `ip` the port. */
function grantAllows(grant: Json, user: string, destination: string, principals: Principals): boolean {
  const at = destination.lastIndexOf(':');
  const host = destination.slice(0, at);
  const port = destination.slice(at + 1);
  const dsts = strings(grant['dst']);
  const ips = strings(grant['ip']);
  return (
    strings(grant['src']).some((principal) => covers(principal, user, principals)) &&
    (dsts.includes('*') || dsts.includes(host)) &&
    ips.some((ip) => ip === '*' || ip === port || ip === `tcp:${port}` || ip === `tcp:*`)
  );
}

/** Whether a legacy ACL rule (`action: accept`, `dst` as `host:ports`) lets `user` reach `host:port`. */
function aclAllows(acl: Json, user: string, destination: string, principals: Principals): boolean {
  const at = destination.lastIndexOf(':');
  const host = destination.slice(0, at);
  const port = destination.slice(at + 1);
  return (
    acl['action'] === 'accept' &&
    strings(acl['src']).some((principal) => covers(principal, user, principals)) &&
    strings(acl['dst']).some((entry) => {
      const split = entry.lastIndexOf(':');
      const [dstHost, ports] = [entry.slice(0, split), entry.slice(split + 1)];
      return (dstHost === '*' || dstHost === host) && (ports === '*' || ports.split(',').includes(port));
    })
  );
}

/**
 * Checks a policy file as the control plane does before storing it (`POST …/acl`, `POST …/acl/validate`), for the
 * rules an SDK-written policy can break: HuJSON syntax, known top-level sections, every tag a grant, ACL, test or
 * tag owner uses is defined in `tagOwners`, every grant has `src`, `dst` and `ip` or `app`; then runs its `tests`
 * against the grants and ACL rules, resolving `group:` from the file and `autogroup:member`/`autogroup:admin` from
 * the tailnet's members (a test's `src` is a user or a group; Tailscale refuses an autogroup there,
 * tailscale/tailscale#12370).
 *
 * @param text - The HuJSON file.
 * @param members - The tailnet's members, for `autogroup:` principals.
 * @returns The refusal, or `undefined` when the policy is accepted.
 */
export function checkPolicy(text: string, members: readonly TailnetMember[] = []): PolicyCheckFailure | undefined {
  const parsed = parseHuJson(text);
  if ('error' in parsed) return { status: 400, refusal: { message: parsed.error } };
  const policy = parsed.value;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    return { status: 400, refusal: { message: 'policy must be a JSON object' } };
  const json = policy as Json;
  for (const key of Object.keys(json))
    if (!POLICY_SECTIONS.has(key)) return { status: 400, refusal: { message: `json: unknown field "${key}"` } };
  const owners = (json['tagOwners'] ?? {}) as Json;
  const defined = new Set(Object.keys(owners));
  const undefinedTag = (selectors: readonly string[]): string | undefined =>
    tagsIn(selectors).find((tag) => !defined.has(tag));
  for (const [tag, list] of Object.entries(owners)) {
    if (!tag.startsWith('tag:')) return { status: 400, refusal: { message: `tagOwners: "${tag}" is not a tag` } };
    const missing = undefinedTag(strings(list));
    if (missing) return { status: 400, refusal: { message: `tagOwners["${tag}"]: tag "${missing}" not found` } };
  }
  const grants = Array.isArray(json['grants']) ? (json['grants'] as Json[]) : [];
  for (const [index, grant] of grants.entries()) {
    if (!Array.isArray(grant['src']) || !Array.isArray(grant['dst']))
      return { status: 400, refusal: { message: `grants[${index}]: src and dst are required` } };
    if (!Array.isArray(grant['ip']) && grant['app'] === undefined)
      return { status: 400, refusal: { message: `grants[${index}]: one of ip or app is required` } };
    const missing = undefinedTag([...strings(grant['src']), ...strings(grant['dst'])]);
    if (missing) return { status: 400, refusal: { message: `grants[${index}]: tag "${missing}" not found` } };
  }
  const acls = Array.isArray(json['acls']) ? (json['acls'] as Json[]) : [];
  for (const [index, acl] of acls.entries()) {
    const missing = undefinedTag([...strings(acl['src']), ...strings(acl['dst'])]);
    if (missing) return { status: 400, refusal: { message: `acls[${index}]: tag "${missing}" not found` } };
  }
  const tests = Array.isArray(json['tests']) ? (json['tests'] as Json[]) : [];
  const failures: { user: string; errors: string[] }[] = [];
  const principals: Principals = { groups: (json['groups'] ?? {}) as Json, members };
  for (const [index, test] of tests.entries()) {
    const src = typeof test['src'] === 'string' ? test['src'] : undefined;
    if (!src) return { status: 400, refusal: { message: `tests[${index}]: src is required` } };
    if (src.startsWith('autogroup:'))
      return { status: 400, refusal: { message: `tests[${index}]: unknown user or host: ${src}` } };
    const missing = undefinedTag([src, ...strings(test['accept']), ...strings(test['deny'])]);
    if (missing) return { status: 400, refusal: { message: `tests[${index}]: tag "${missing}" not found` } };
    const users = src.startsWith('group:') ? strings(principals.groups[src]) : [src];
    const allowed = (user: string, dst: string): boolean =>
      grants.some((grant) => grantAllows(grant, user, dst, principals)) ||
      acls.some((rule) => aclAllows(rule, user, dst, principals));
    const errors = users.flatMap((user) => [
      ...strings(test['accept'])
        .filter((dst) => !allowed(user, dst))
        .map((dst) => `address "${dst}": want: Accept, got: Drop`),
      ...strings(test['deny'])
        .filter((dst) => allowed(user, dst))
        .map((dst) => `address "${dst}": want: Drop, got: Accept`),
    ]);
    if (errors.length) failures.push({ user: src, errors });
  }
  if (failures.length) return { status: 200, refusal: { message: 'test(s) failed', data: failures } };
  return undefined;
}
