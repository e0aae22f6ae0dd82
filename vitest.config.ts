import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const omniClientSrc = fileURLToPath(new URL('./packages/omni-client/src/', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources of both packages: the workspace package `@talos-sdk/omni-client` resolves to its
    // `src/` (its subpaths too), not to a `dist/` that may be stale.
    alias: [
      { find: '@talos-sdk/topology', replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^@talos-sdk\/omni-client$/, replacement: `${omniClientSrc}index.ts` },
      { find: /^@talos-sdk\/omni-client\/(.+?)(?:\.js)?$/, replacement: `${omniClientSrc}$1.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
