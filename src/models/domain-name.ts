/**
 * Domain names as the models accept them.
 *
 * @module
 */

/** Matches a lower-case fully qualified domain name. */
export const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
