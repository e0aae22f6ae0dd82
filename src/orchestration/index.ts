/**
 * The lab as one unit: the targets as a graph of what needs what, which targets a run covers and why the others are
 * left out, plan and apply across them in dependency order (destroy in reverse), saved plans, drift against what the
 * last apply left in place, and the reports (text, JSON, markdown) the CLI prints. The sessions to each live system are
 * passed in (`OpenTargetSession`), so this module loads no client SDK.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { applyAll, planAll, selectTargets } from '@talos-sdk/topology/orchestration';
 *
 * const set = await readArtifactSet('out');
 * const { nodes, leftOut } = await selectTargets(set, process.env, { requested: [] });
 * const plans = await planAll(nodes, { set, open: openSession }); // openSession: your TargetSession per node
 * const results = await applyAll(nodes, { set, open: openSession });
 * ```
 *
 * @module @talos-sdk/topology/orchestration
 */
export * from './applied-state.js';
export * from './credentials.js';
export * from './destroy-all.js';
export * from './drift.js';
export * from './markdown.js';
export * from './plan-markdown.js';
export * from './report.js';
export * from './run-all.js';
export * from './run-graph.js';
export * from './saved-plan.js';
export * from './selection.js';
export * from './session.js';
export * from './target-graph.js';
