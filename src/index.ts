/**
 * `@talos-sdk/topology`: a Sidero Omni, Talos and Proxmox homelab as typed, validated code.
 *
 * @module
 */
export * from './models/index.js';
