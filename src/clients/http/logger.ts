/**
 * The clients' warning channel, shared with the Omni client: its one definition lives in `@talos-sdk/omni-client`.
 *
 * @module
 */
export type { Logger } from '@talos-sdk/omni-client/logger';
export { processWarningLogger } from '@talos-sdk/omni-client/logger';
