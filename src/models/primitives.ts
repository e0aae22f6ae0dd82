/**
 * Small schemas every model shares: names, addresses, versions and secret references.
 *
 * @module
 */
import * as z from './zod.js';
import { CIDR_PATTERN, IPV4_PATTERN } from './ipv4.js';
import { DOMAIN_PATTERN } from './domain-name.js';
import { lazy } from './lazy.js';
import { isNotWindowsDeviceName, isUnreservedName, refuseSecretLiteral } from './refinements.js';
import type { RuleContext } from './rule-issue.js';

const SHAPE_BREAKING_CODES = new Set(['invalid_type', 'invalid_union', 'invalid_key', 'invalid_element']);

/**
 * Refinement options that run a cross-field check only when everything below it has the right shape (types,
 * union branches), so the check can trust what it reads. Format and range issues do not stop it: a person sees
 * those and the cross-field findings in one report.
 */
export const WHEN_VALID = {
  when: (payload: { readonly issues: readonly { readonly code?: string }[] }): boolean =>
    !payload.issues.some((issue) => SHAPE_BREAKING_CODES.has(issue.code ?? '')),
};

/** The function behind each of the models' `superRefine` checks, by check: zod keeps only a wrapper around it. */
const SUPER_REFINEMENTS = new WeakMap<object, unknown>();

/**
 * Adds a check that reports through its context (zod's `superRefine`), and remembers which function the check runs,
 * for the validator compiled at build time (`scripts/compile-validator.ts`), which calls the same function.
 *
 * @param schema - The schema to refine.
 * @param check - A named function of `refinements.ts` (or `references.ts`).
 * @param options - {@link WHEN_VALID} for a cross-field check; by default the check runs only on a value without issues.
 * @returns The refined schema.
 */
export function refineWith<T extends z.ZodType>(
  schema: T,
  check: (value: z.output<T>, ctx: RuleContext) => void,
  options?: typeof WHEN_VALID,
): T {
  const refined = schema.superRefine(check, options);
  const added = refined._zod.def.checks?.at(-1);
  if (added) SUPER_REFINEMENTS.set(added, check);
  return refined;
}

/**
 * The function a `superRefine` check made by {@link refineWith} runs.
 *
 * @param check - One of a schema's checks (`schema._zod.def.checks`).
 * @returns The function, or `undefined` for a check made otherwise.
 */
export function superRefinementOf(check: object): unknown {
  return SUPER_REFINEMENTS.get(check);
}

/** The issue a reserved name gets. */
export const RESERVED_NAME_ISSUE = {
  message: 'is reserved (it names a built-in property of every object); choose another name',
  params: { rule: 'reserved-name' },
};

/** The issue a Windows device name gets. */
export const WINDOWS_DEVICE_NAME_ISSUE = {
  message:
    'is a device name on Windows (con, prn, aux, nul, com1-com9, lpt1-lpt9): names become file names in the output folder, which could not be checked out there; choose another name',
  params: { rule: 'reserved-name' },
};

/** Lower-case DNS-label style names used as keys: `holly`, `ct-200`, `matrix-worker`. */
const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A name used as a key and as part of generated file names (`hosts/<guest>/`, `omni/clusters/<cluster>.yaml`,
 * `proxmox/<cluster>/`, `omni/machine-classes/<id>.yaml`, patch files, ...), so Windows device names are refused too.
 */
export const nameSchema = lazy(() =>
  z
    .string()
    .regex(NAME_PATTERN, 'must be lower-case letters, digits and inner dashes (at most 63 characters)')
    .refine(isUnreservedName, RESERVED_NAME_ISSUE)
    .refine(isNotWindowsDeviceName, WINDOWS_DEVICE_NAME_ISSUE),
);

/** A fully qualified domain name such as `omni.spaceships.work`. */
export const domainSchema = lazy(() =>
  z.string().regex(DOMAIN_PATTERN, 'must be a lower-case domain name such as omni.example.com'),
);

/** A dotted-quad IPv4 address. */
export const ipv4Schema = lazy(() =>
  z
    .string()
    .regex(IPV4_PATTERN, 'must be an IPv4 address such as 192.168.3.10')
    .meta({ examples: ['192.168.3.10'] }),
);

/** An IPv4 subnet in CIDR form. */
export const cidrSchema = lazy(() =>
  z
    .string()
    .regex(CIDR_PATTERN, 'must be an IPv4 subnet such as 192.168.3.0/24')
    .meta({ examples: ['192.168.3.0/24'] }),
);

/** A TCP or UDP port. */
export const portSchema = lazy(() => z.int().min(1).max(65535));

/** A release version with a `v` prefix, as Talos, Kubernetes and Omni tag them: `v1.13.9`. */
export const versionSchema = lazy(() =>
  z
    .string()
    .regex(/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a version with a v prefix such as v1.13.9')
    .meta({ examples: ['v1.13.9'] }),
);

/** An environment variable name: upper-case letters, digits and underscores. */
const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** Where a secret comes from: the name of an environment variable, never the value. */
export interface SecretRef {
  /** The environment variable holding the secret, e.g. `TS_AUTHKEY`. */
  readonly env: string;
}

/**
 * A secret reference `{ env: 'NAME' }`. A string literal in its place is refused with rule `secret-literal`, and the
 * message never repeats the value.
 */
export const secretRefSchema = lazy(() =>
  z.preprocess(
    refuseSecretLiteral,
    z
      .strictObject({
        /** The environment variable's name, e.g. `TS_AUTHKEY`. */
        env: z
          .string()
          .regex(ENV_NAME_PATTERN, 'must be an environment variable name such as TS_AUTHKEY')
          .meta({ description: "The environment variable's name, e.g. `TS_AUTHKEY`." }),
      })
      // On the inner schema: zod leaves a transforming schema's (the preprocess) examples out of an input JSON Schema.
      .meta({ examples: [{ env: 'TS_AUTHKEY' }] }),
  ),
);

/** A container image reference without a tag, e.g. `ghcr.io/siderolabs/omni`. */
export const imageSchema = lazy(() =>
  z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'must be an image name without a tag')
    .meta({ examples: ['ghcr.io/siderolabs/omni'] }),
);

/**
 * An image digest, `sha256:` and 64 lower-case hex digits. With a digest the image reference becomes
 * `image:tag@sha256:…`, and Docker pulls exactly that image whatever the tag points at later.
 */
export const imageDigestSchema = lazy(() =>
  z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'must be an image digest such as sha256:<64 lower-case hex digits>')
    .meta({ examples: [`sha256:${'0123456789abcdef'.repeat(4)}`] }),
);

/** An image tag such as `v1.84.0` (Docker's tag grammar). */
export const imageTagSchema = lazy(() =>
  z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'must be an image tag such as v1.84.0'),
);

/** A Tailscale tag such as `tag:omni`. */
export const tailscaleTagSchema = lazy(() =>
  z
    .string()
    .regex(/^tag:[a-z0-9][a-z0-9-]*$/, 'must be a Tailscale tag such as tag:omni')
    .meta({ examples: ['tag:omni'] }),
);

/** An absolute path on a host. */
export const hostPathSchema = lazy(() =>
  z
    .string()
    .regex(/^\/[^\0\n]*$/, 'must be an absolute path')
    .meta({ examples: ['/opt/omni/tls/fullchain.pem'] }),
);
