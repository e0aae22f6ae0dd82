/**
 * The SDK's version, as `package.json` gives it (a test keeps the two equal). `manifest.json` records it, so `check`
 * trusts a manifest only when the generators that wrote it are these.
 */
export const SDK_VERSION = '0.1.0';
