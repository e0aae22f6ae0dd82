/**
 * How the clients say what they wait for, shared with the Omni client: its one definition lives in
 * `@talos-sdk/omni-client`.
 *
 * @module
 */
export type { WaitReporter } from '@talos-sdk/omni-client/progress';
export { reportingWait } from '@talos-sdk/omni-client/progress';
