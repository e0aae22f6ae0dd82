/**
 * The plan model every target shares: desired artifacts against live state, as changes.
 *
 * @module
 */
export type { Change, ChangeAction, FieldDiff, Plan, PlanSummary, PlanTarget, UnmanagedObject } from './change.js';
export { compareText, createChange, createPlan, planHasChanges, summarizePlan } from './change.js';
export { deepEqual, diffFields } from './diff.js';
export type { FormatPlanOptions, PlanJson } from './format.js';
export { formatPlan, formatPlanSummary, planToJson } from './format.js';
export type { ClientOption, ClientOptionNames } from './client-option.js';
export { CLIENT_OPTIONS, clientOptionText, MissingClientOptionError, renameClientOptions } from './client-option.js';
