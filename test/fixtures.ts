import spaceships from '../examples/spaceships/topology.js';
import singleSite from '../examples/single-site/topology.js';
import type { TopologyInput } from '../src/models/define.js';

/** A fresh, mutable copy of the spaceships example, for tests that change one thing. */
export function spaceshipsInput(): TopologyInput & Record<string, unknown> {
  return structuredClone(spaceships) as unknown as TopologyInput & Record<string, unknown>;
}

/** A fresh, mutable copy of the single-site example. */
export function singleSiteInput(): TopologyInput & Record<string, unknown> {
  return structuredClone(singleSite) as unknown as TopologyInput & Record<string, unknown>;
}

/** Both examples, by folder name. */
export const EXAMPLES = { spaceships, 'single-site': singleSite } as const;
