import type { DeepReadonly, Topology } from '../models/define.js';
import type { Rule, RuleFinding } from './rule.js';

/**
 * Tags that move: `latest` (the Proxmox provider has no release tags upstream; its CI pushes `latest` from main),
 * and Tailscale's channel tags `stable` and `unstable`, which follow every release.
 */
const MOVING_TAGS: ReadonlySet<string> = new Set(['latest', 'stable', 'unstable']);

interface PinnableImage {
  readonly image: string;
  readonly version: string;
  readonly digest?: string | undefined;
}

/** Every image a topology runs, with the path of its tag. */
function images(topology: Topology): { readonly path: string; readonly spec: DeepReadonly<PinnableImage> }[] {
  const { omni, providers } = topology;
  return [
    { path: 'omni.version', spec: omni },
    { path: 'omni.sidecar.version', spec: omni.sidecar },
    ...Object.entries(providers).flatMap(([id, provider]) => [
      { path: `providers.${id}.version`, spec: provider },
      { path: `providers.${id}.sidecar.version`, spec: provider.sidecar },
    ]),
  ];
}

/** Every image is pinned: a release tag, or a digest for a moving tag. */
export const imagePinnedRule: Rule = {
  id: 'image-pinned',
  severity: 'warning',
  description: 'Every image is pinned: a release tag, or a digest (image@sha256:…) when the tag moves.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const { path, spec } of images(topology)) {
      if (spec.digest === undefined && MOVING_TAGS.has(spec.version)) {
        findings.push({
          path,
          message: `${spec.image}:${spec.version} is unpinned (the tag moves: a restart may pull another image); pin a release tag, or add its digest: sha256:… (docker buildx imagetools inspect ${spec.image}:${spec.version})`,
        });
      }
    }
    return findings;
  },
};
